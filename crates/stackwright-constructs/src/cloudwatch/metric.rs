//! [`Metric`]: a CloudWatch metric — namespace, name, dimensions, statistic and period.

use stackwright_template::Value;

use crate::elbv2::LoadBalancerTarget;

/// How a metric's datapoints are aggregated over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    /// The mean.
    Average,
    /// The total.
    Sum,
    /// The largest datapoint.
    Maximum,
    /// The smallest datapoint.
    Minimum,
    /// The number of datapoints.
    SampleCount,
    /// A percentile, 1-100 (`p99` is `Percentile(99)`); an alarm's `ExtendedStatistic`.
    Percentile(u8),
}

/// What a metric measures, which bounds a sensible threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetricUnit {
    /// 0 to 100.
    Percent,
    /// A count, 0 or more.
    Count,
    /// A duration in seconds, 0 or more.
    Seconds,
    /// Anything else: any finite number.
    Other,
}

/// A CloudWatch metric, ready to alarm on.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    namespace: String,
    name: String,
    dimensions: Vec<(String, Value<String>)>,
    statistic: Statistic,
    period_seconds: u32,
    unit: MetricUnit,
}

impl Metric {
    /// The metric `name` of `namespace`, aggregated with `statistic` over one minute.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>, statistic: Statistic, unit: MetricUnit) -> Self {
        Self {
            namespace: namespace.into(),
            name: name.into(),
            dimensions: Vec::new(),
            statistic,
            period_seconds: 60,
            unit,
        }
    }

    /// `AWS/ECS CPUUtilization`, average over a minute, of one service.
    pub fn service_cpu(cluster_name: impl Into<Value<String>>, service_name: impl Into<Value<String>>) -> Self {
        Self::ecs("CPUUtilization", cluster_name.into(), service_name.into())
    }

    /// `AWS/ECS MemoryUtilization`, average over a minute, of one service.
    pub fn service_memory(cluster_name: impl Into<Value<String>>, service_name: impl Into<Value<String>>) -> Self {
        Self::ecs("MemoryUtilization", cluster_name.into(), service_name.into())
    }

    fn ecs(name: &str, cluster: Value<String>, service: Value<String>) -> Self {
        Self::new("AWS/ECS", name, Statistic::Average, MetricUnit::Percent)
            .dimension("ClusterName", cluster)
            .dimension("ServiceName", service)
    }

    /// `AWS/ApplicationELB HTTPCode_Target_5XX_Count`, summed over a minute: server errors
    /// the targets returned.
    pub fn target_5xx_count(target: &LoadBalancerTarget) -> Self {
        Self::alb("HTTPCode_Target_5XX_Count", Statistic::Sum, MetricUnit::Count, target)
    }

    /// `AWS/ApplicationELB UnHealthyHostCount`, its maximum over a minute.
    pub fn unhealthy_host_count(target: &LoadBalancerTarget) -> Self {
        Self::alb("UnHealthyHostCount", Statistic::Maximum, MetricUnit::Count, target)
    }

    /// `AWS/ApplicationELB TargetResponseTime` in seconds, its 99th percentile over a minute
    /// (an average hides the slow tail users notice).
    pub fn target_response_time(target: &LoadBalancerTarget) -> Self {
        Self::alb("TargetResponseTime", Statistic::Percentile(99), MetricUnit::Seconds, target)
    }

    fn alb(name: &str, statistic: Statistic, unit: MetricUnit, target: &LoadBalancerTarget) -> Self {
        Self::new("AWS/ApplicationELB", name, statistic, unit)
            .dimension("LoadBalancer", target.load_balancer_full_name.clone())
            .dimension("TargetGroup", target.target_group_full_name.clone())
    }

    /// Adds a dimension.
    #[must_use]
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        self.dimensions.push((name.into(), value.into()));
        self
    }

    /// Changes the statistic.
    #[must_use]
    pub fn with_statistic(mut self, statistic: Statistic) -> Self {
        self.statistic = statistic;
        self
    }

    /// Changes the period: 10, 30 or a multiple of 60 seconds (checked by the alarm).
    #[must_use]
    pub fn with_period_seconds(mut self, seconds: u32) -> Self {
        self.period_seconds = seconds;
        self
    }

    /// The namespace, e.g. `AWS/ECS`.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The metric's name, e.g. `CPUUtilization`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dimensions, in the order given.
    pub fn dimensions(&self) -> &[(String, Value<String>)] {
        &self.dimensions
    }

    /// The statistic.
    pub fn statistic(&self) -> Statistic {
        self.statistic
    }

    /// The period in seconds. **Default:** 60.
    pub fn period_seconds(&self) -> u32 {
        self.period_seconds
    }

    /// What the metric measures.
    pub fn unit(&self) -> MetricUnit {
        self.unit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use stackwright_template::LogicalId;

    pub(crate) fn target() -> LoadBalancerTarget {
        LoadBalancerTarget {
            target_group_arn: "tg-arn".into(),
            target_group_full_name: "targetgroup/tg/1".into(),
            load_balancer_full_name: "app/lb/2".into(),
            security_group_id: "sg-1".into(),
            security_group_logical_id: LogicalId::new("LbSg").unwrap(),
            listeners: Vec::new(),
        }
    }

    #[test]
    fn service_metrics_average_percent_over_a_minute() {
        let cpu = Metric::service_cpu("cluster", "service");
        assert_eq!((cpu.namespace(), cpu.name()), ("AWS/ECS", "CPUUtilization"));
        assert_eq!((cpu.statistic(), cpu.period_seconds(), cpu.unit()), (Statistic::Average, 60, MetricUnit::Percent));
        assert_eq!(cpu.dimensions()[1].0, "ServiceName");
        assert_eq!(Metric::service_memory("c", "s").name(), "MemoryUtilization");
    }

    #[test]
    fn target_group_metrics_use_both_full_names() {
        let t = target();
        let errors = Metric::target_5xx_count(&t);
        assert_eq!((errors.name(), errors.statistic()), ("HTTPCode_Target_5XX_Count", Statistic::Sum));
        assert_eq!(errors.dimensions()[0], ("LoadBalancer".to_owned(), "app/lb/2".into()));
        assert_eq!(errors.dimensions()[1].1.to_json(), json!("targetgroup/tg/1"));
        assert_eq!(Metric::unhealthy_host_count(&t).statistic(), Statistic::Maximum);
        let latency = Metric::target_response_time(&t);
        assert_eq!((latency.statistic(), latency.unit()), (Statistic::Percentile(99), MetricUnit::Seconds));
        assert_eq!(latency.with_statistic(Statistic::Average).with_period_seconds(300).period_seconds(), 300);
    }
}
