//! Work Worlds content: the schema of the RON files that describe sector worlds, job
//! roles, quests, badges and enterprise challenges, their loading with exact error
//! positions, their validation, and the CWRE coverage they give.
//!
//! Data flows one way: [`load_dir`] reads a folder into the raw `*Def` shapes of
//! [`defs`] and [`challenge`], reporting every syntax or type error as `path:line:column: message`; then
//! validation checks each file and the references between them and builds a
//! [`Content`], which the server and client read. [`coverage`] summarises which CWRE
//! objectives the quests serve, by age phase and experience type.
//!
//! This crate knows nothing of networking, storage or rendering.

pub mod bundle;
pub mod challenge;
pub mod colour;
pub mod coverage;
pub mod curriculum;
pub mod defs;
pub mod error;
pub mod ids;
mod load;
mod locate;
pub mod marking;
pub mod model;
pub mod shipped;
pub mod text;
mod validate;

pub use bundle::ContentBundle;
pub use error::{ContentErrors, Position, Problem};
pub use load::{KIND_FOLDERS, MAX_FILE_BYTES, load_dir};
pub use model::{Badge, Challenge, Content, Quest, Role, Sector};
pub use text::{Lang, Text};
