//! CloudWatch: typed metrics and alarms with deterministic names.

mod alarm;
mod metric;

pub use alarm::{Alarm, AlarmProps, Comparison, MissingData};
pub use metric::{Metric, MetricUnit, Statistic};
