//! S3: private, encrypted, TLS-only buckets, and the log bucket access logs go to.

mod bucket;
mod elb_log_delivery;

pub use bucket::{Bucket, BucketEncryption, BucketProps, READ, WRITE};
