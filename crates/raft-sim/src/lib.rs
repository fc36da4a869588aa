//! raft-sim: see docs/DESIGN.md.
