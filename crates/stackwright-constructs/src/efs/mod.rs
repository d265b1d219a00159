//! EFS: an encrypted file system tasks mount through an access point.

mod file_system;

pub use file_system::{FileSystem, FileSystemProps};
