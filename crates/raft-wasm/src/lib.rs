//! raft-wasm: see docs/DESIGN.md.
