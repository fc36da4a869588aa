//! raft-core: see docs/DESIGN.md.
