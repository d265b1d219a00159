//! KMS: the customer-managed key the stack's resources are encrypted with.

mod key;

pub use key::{DECRYPT, ENCRYPT_DECRYPT, Key, KeyProps};
