//! [`Alarm`]: a metric alarm with a deterministic name, notifying a topic.

use stackwright_cfn::cloudwatch;
use stackwright_cfn::cloudwatch::alarm::{ComparisonOperator, Dimension, TreatMissingData};
use stackwright_template::{LogicalId, ResourceRef, Value, fns};

use crate::cloudwatch::{Metric, MetricUnit, Statistic};
use crate::error::{Checks, Error};
use crate::path::ConstructPath;
use crate::sns::Topic;
use crate::stack::Stack;

/// How the statistic is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `>`
    GreaterThan,
    /// `>=`
    GreaterThanOrEqual,
    /// `<`
    LessThan,
    /// `<=`
    LessThanOrEqual,
}

impl Comparison {
    fn operator(self) -> ComparisonOperator {
        match self {
            Self::GreaterThan => ComparisonOperator::GreaterThanThreshold,
            Self::GreaterThanOrEqual => ComparisonOperator::GreaterThanOrEqualToThreshold,
            Self::LessThan => ComparisonOperator::LessThanThreshold,
            Self::LessThanOrEqual => ComparisonOperator::LessThanOrEqualToThreshold,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Self::GreaterThan => ">",
            Self::GreaterThanOrEqual => ">=",
            Self::LessThan => "<",
            Self::LessThanOrEqual => "<=",
        }
    }
}

/// How periods without data are evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingData {
    /// Neither good nor bad: the alarm keeps its state (CloudWatch's default).
    Missing,
    /// Good: right for counts that are absent when nothing happens (5xx, unhealthy hosts).
    NotBreaching,
    /// Bad.
    Breaching,
    /// Ignored: the alarm evaluates the periods that have data.
    Ignore,
}

impl MissingData {
    fn l1(self) -> TreatMissingData {
        match self {
            Self::Missing => TreatMissingData::Missing,
            Self::NotBreaching => TreatMissingData::NotBreaching,
            Self::Breaching => TreatMissingData::Breaching,
            Self::Ignore => TreatMissingData::Ignore,
        }
    }
}

/// Properties of an [`Alarm`]. The named constructors hold the recommended thresholds for
/// the metrics of [`Metric`]'s constructors (one-minute periods).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AlarmProps {
    /// How the statistic is compared with [`AlarmProps::threshold`]. **Required.**
    pub comparison: Comparison,
    /// The threshold, within the metric's unit (0-100 for percents, 0 or more for counts and
    /// seconds). **Required.**
    pub threshold: f64,
    /// How many recent periods are evaluated, 1 or more; periods × period at most a day.
    /// **Required.**
    pub evaluation_periods: u32,
    /// How many of them must breach. **Default:** all of them (as CloudWatch).
    pub datapoints_to_alarm: Option<u32>,
    /// **Default:** [`MissingData::Missing`] (as CloudWatch and CDK).
    pub treat_missing_data: MissingData,
    /// What the alarm means. **Default:** the metric, comparison and periods in words.
    pub description: Option<String>,
    /// Topics told when the alarm fires and when it is OK again. **Default:** none.
    pub topics: Vec<Value<String>>,
}

impl AlarmProps {
    /// An alarm when the statistic `comparison` `threshold` in `evaluation_periods` periods.
    pub fn new(comparison: Comparison, threshold: f64, evaluation_periods: u32) -> Self {
        Self {
            comparison,
            threshold,
            evaluation_periods,
            datapoints_to_alarm: None,
            treat_missing_data: MissingData::Missing,
            description: None,
            topics: Vec::new(),
        }
    }

    /// CPU above 80 % for 3 consecutive minutes: sustained, not a spike, and with headroom
    /// left for autoscaling to act.
    pub fn cpu_high() -> Self {
        Self::new(Comparison::GreaterThan, 80.0, 3)
    }

    /// Memory above 80 % for 3 consecutive minutes: a task nearing its hard limit is killed.
    pub fn memory_high() -> Self {
        Self::new(Comparison::GreaterThan, 80.0, 3)
    }

    /// More than 5 target 5xx responses a minute, 2 minutes in a row; no traffic is not an
    /// error ([`MissingData::NotBreaching`]).
    pub fn target_5xx() -> Self {
        Self::new(Comparison::GreaterThan, 5.0, 2).treat_missing_data(MissingData::NotBreaching)
    }

    /// Any unhealthy target, 2 minutes in a row (one failed check can be a deploy's drain).
    pub fn unhealthy_hosts() -> Self {
        Self::new(Comparison::GreaterThan, 0.0, 2).treat_missing_data(MissingData::NotBreaching)
    }

    /// p99 response time above 2 seconds for 3 minutes; quiet minutes are not slow ones.
    pub fn response_time_p99() -> Self {
        Self::new(Comparison::GreaterThan, 2.0, 3).treat_missing_data(MissingData::NotBreaching)
    }

    /// See [`AlarmProps::datapoints_to_alarm`].
    #[must_use]
    pub fn datapoints_to_alarm(mut self, datapoints: u32) -> Self {
        self.datapoints_to_alarm = Some(datapoints);
        self
    }

    /// See [`AlarmProps::treat_missing_data`].
    #[must_use]
    pub fn treat_missing_data(mut self, treat: MissingData) -> Self {
        self.treat_missing_data = treat;
        self
    }

    /// See [`AlarmProps::description`].
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Notifies `topic` on alarm and on OK, see [`AlarmProps::topics`].
    #[must_use]
    pub fn notify(mut self, topic: &Topic) -> Self {
        self.topics.push(topic.arn());
        self
    }

    /// Notifies the topic whose ARN is `arn` (one imported from another stack) on alarm and
    /// on OK, see [`AlarmProps::topics`].
    #[must_use]
    pub fn notify_arn(mut self, arn: Value<String>) -> Self {
        self.topics.push(arn);
        self
    }
}

/// A CloudWatch metric alarm named `<stack name>-<construct path joined by ->`.
///
/// The name is known before the alarm exists, so a service's deployment configuration can
/// name it ([`Alarm::name_value`]) without a `Ref` — which would make the alarm, whose
/// dimensions name the service, and the service depend on each other.
#[derive(Debug, Clone)]
pub struct Alarm {
    name: String,
    resource: ResourceRef<cloudwatch::Alarm>,
}

impl Alarm {
    /// Adds the alarm on `metric` at `path`.
    pub fn new(
        stack: &mut Stack,
        path: impl Into<ConstructPath>,
        metric: &Metric,
        props: AlarmProps,
    ) -> Result<Self, Error> {
        let path = path.into();
        let name = name_template(&path);
        stack.record(check(&path, metric, &props, &name));
        let datapoints = props.datapoints_to_alarm.unwrap_or(props.evaluation_periods);
        let description = props.description.unwrap_or_else(|| {
            format!(
                "{} {} {} {} for {datapoints} of {} periods of {} s",
                metric.name(),
                statistic_name(metric.statistic()),
                props.comparison.symbol(),
                props.threshold,
                props.evaluation_periods,
                metric.period_seconds(),
            )
        });
        let dimensions: Vec<Dimension> =
            metric.dimensions().iter().map(|(name, value)| Dimension::new(name.as_str(), value.clone())).collect();
        let mut alarm = cloudwatch::Alarm::new()
            .alarm_name(fns::sub(name.clone()))
            .alarm_description(description)
            .namespace(metric.namespace())
            .metric_name(metric.name())
            .period(i64::from(metric.period_seconds()))
            .comparison_operator(props.comparison.operator())
            .threshold(props.threshold)
            .evaluation_periods(i64::from(props.evaluation_periods))
            .datapoints_to_alarm(i64::from(datapoints))
            .treat_missing_data(props.treat_missing_data.l1());
        if !dimensions.is_empty() {
            alarm = alarm.dimensions(dimensions);
        }
        alarm = match metric.statistic() {
            Statistic::Percentile(p) => alarm.extended_statistic(format!("p{p}")),
            other => alarm.statistic(l1_statistic(other)),
        };
        if !props.topics.is_empty() {
            alarm = alarm.alarm_actions(props.topics.clone()).ok_actions(props.topics);
        }
        let resource = stack.add(&path, alarm)?;
        Ok(Self { name, resource })
    }

    /// The name the alarm at `path` gets, known before the alarm is added: a service built
    /// first can list it among its deployment alarms.
    pub fn name_for(path: &ConstructPath) -> Value<String> {
        fns::sub(name_template(path))
    }

    /// The alarm's name as `Fn::Sub` — not a `Ref`, so referring to it adds no dependency.
    pub fn name_value(&self) -> Value<String> {
        fns::sub(self.name.clone())
    }

    /// The alarm's ARN (`Fn::GetAtt Arn`: this one does depend on the alarm).
    pub fn arn(&self) -> Value<String> {
        self.resource.arn()
    }

    /// The alarm's logical ID.
    pub fn logical_id(&self) -> &LogicalId {
        self.resource.logical_id()
    }

    /// The L1 resource: the escape hatch.
    pub fn resource(&self) -> &ResourceRef<cloudwatch::Alarm> {
        &self.resource
    }
}

/// `${AWS::StackName}-<path segments joined by ->`.
fn name_template(path: &ConstructPath) -> String {
    format!("${{AWS::StackName}}-{}", path.segments().join("-"))
}

fn check(path: &ConstructPath, metric: &Metric, props: &AlarmProps, name: &str) -> Checks {
    let mut checks = Checks::new(path);
    let t = props.threshold;
    let (ok, expected) = match metric.unit() {
        MetricUnit::Percent => ((0.0..=100.0).contains(&t), "0-100 (a percent)"),
        MetricUnit::Count => (t.is_finite() && t >= 0.0, "0 or more (a count)"),
        MetricUnit::Seconds => (t.is_finite() && t >= 0.0, "0 or more (seconds)"),
        MetricUnit::Other => (t.is_finite(), "a finite number"),
    };
    checks.require(ok, "alarm/threshold-range", || {
        format!("threshold for {} must be {expected}, got {t}", metric.name())
    });
    let period = metric.period_seconds();
    checks.require(matches!(period, 10 | 30) || (period > 0 && period.is_multiple_of(60)), "alarm/period", || {
        format!("the metric's period must be 10, 30 or a multiple of 60 seconds, got {period}")
    });
    checks.require(props.evaluation_periods >= 1, "alarm/evaluation-periods", || {
        "evaluation_periods must be 1 or more, got 0".to_owned()
    });
    checks.require(
        u64::from(period) * u64::from(props.evaluation_periods) <= 86_400,
        "alarm/evaluation-window",
        || {
            format!(
                "evaluation_periods × period must be at most a day (86400 s), got {} × {period} s",
                props.evaluation_periods
            )
        },
    );
    if let Some(datapoints) = props.datapoints_to_alarm {
        checks.require((1..=props.evaluation_periods).contains(&datapoints), "alarm/datapoints", || {
            format!("datapoints_to_alarm must be 1..={}, got {datapoints}", props.evaluation_periods)
        });
    }
    if let Statistic::Percentile(p) = metric.statistic() {
        checks.require((1..=100).contains(&p), "alarm/percentile", || {
            format!("a percentile statistic must be p1-p100, got p{p}")
        });
    }
    // `${AWS::StackName}` is at most 128 characters; alarm names at most 255.
    let suffix = name.len() - "${AWS::StackName}".len();
    checks.require(suffix + 128 <= 255, "alarm/name-length", || {
        format!("the construct path makes an alarm name suffix of {suffix} characters, at most 127 fit")
    });
    checks
}

fn statistic_name(statistic: Statistic) -> String {
    match statistic {
        Statistic::Percentile(p) => format!("p{p}"),
        other => l1_statistic(other).as_str().to_owned(),
    }
}

fn l1_statistic(statistic: Statistic) -> cloudwatch::alarm::Statistic {
    use cloudwatch::alarm::Statistic as L1;
    match statistic {
        Statistic::Average | Statistic::Percentile(_) => L1::Average,
        Statistic::Sum => L1::Sum,
        Statistic::Maximum => L1::Maximum,
        Statistic::Minimum => L1::Minimum,
        Statistic::SampleCount => L1::SampleCount,
    }
}

#[cfg(test)]
#[path = "alarm_tests.rs"]
mod tests;
