//! `Simulation.lessonPlan(index, lesson)`: where the page pauses for each step of a lesson
//! (docs/LESSONS.md). The plan comes from raft-sim's lesson check, so the page stops exactly
//! where `raft-sim lessons --check` checked; this file only converts.

use wasm_bindgen::prelude::*;

use crate::args;
use crate::convert::to_js;
use crate::error::ApiError;
use crate::simulation::JsSimulation;

#[wasm_bindgen(js_class = Simulation)]
impl JsSimulation {
    /// Each step's moment, the ids of the messages it highlights and where playing into it
    /// starts, from the lesson index (`web/lessons/index.json`) and one lesson file, as text.
    #[wasm_bindgen(js_name = lessonPlan, unchecked_return_type = "LessonPlanStep[]")]
    pub fn lesson_plan(
        #[wasm_bindgen(unchecked_param_type = "string")] index: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] lesson: JsValue,
    ) -> Result<JsValue, JsValue> {
        const METHOD: &str = "lessonPlan";
        let index = args::string(METHOD, "index", &index)?;
        let lesson = args::string(METHOD, "lesson", &lesson)?;
        let plan = raft_sim::lesson_check::lesson_plan(&index, &lesson)
            .map_err(|e| ApiError::malformed(METHOD, &e))?;
        Ok(to_js(METHOD, &plan)?)
    }
}
