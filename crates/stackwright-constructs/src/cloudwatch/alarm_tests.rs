use serde_json::json;

use super::*;
use crate::kms::{Key, KeyProps};
use crate::sns::TopicProps;

fn alarm(metric: &Metric, props: AlarmProps) -> Result<serde_json::Value, Error> {
    let mut stack = Stack::new("t")?;
    Alarm::new(&mut stack, ConstructPath::root("Web").child("CpuHigh"), metric, props)?;
    Ok(stack.finish()?.template().to_json()["Resources"]["WebCpuHigh"]["Properties"].clone())
}

fn cpu() -> Metric {
    Metric::service_cpu("cluster", "service")
}

#[test]
fn deterministic_name_and_actions_to_the_topic() {
    let mut stack = Stack::new("t").unwrap();
    let key = Key::new(&mut stack, "Key", KeyProps::new()).unwrap();
    let topic = Topic::new(&mut stack, "Alerts", &key, TopicProps::new()).unwrap();
    let path = ConstructPath::root("Web").child("Service").child("CpuHigh");
    let alarm = Alarm::new(&mut stack, &path, &cpu(), AlarmProps::cpu_high().notify(&topic)).unwrap();
    assert_eq!(alarm.name_value().to_json(), json!({"Fn::Sub": "${AWS::StackName}-Web-Service-CpuHigh"}));
    let json = stack.finish().unwrap().template().to_json();
    let p = &json["Resources"]["WebServiceCpuHigh"]["Properties"];
    assert_eq!(p["AlarmName"], json!({"Fn::Sub": "${AWS::StackName}-Web-Service-CpuHigh"}));
    assert_eq!(p["AlarmActions"], json!([{"Ref": "Alerts"}]));
    assert_eq!(p["OKActions"], json!([{"Ref": "Alerts"}]));
    assert_eq!(p["AlarmDescription"], "CPUUtilization Average > 80 for 3 of 3 periods of 60 s");
    assert_eq!(
        p["Dimensions"],
        json!([{"Name": "ClusterName", "Value": "cluster"}, {"Name": "ServiceName", "Value": "service"}])
    );
}

#[test]
fn recommended_thresholds() {
    let cases = [
        (AlarmProps::cpu_high(), 80.0, 3, MissingData::Missing),
        (AlarmProps::memory_high(), 80.0, 3, MissingData::Missing),
        (AlarmProps::target_5xx(), 5.0, 2, MissingData::NotBreaching),
        (AlarmProps::unhealthy_hosts(), 0.0, 2, MissingData::NotBreaching),
        (AlarmProps::response_time_p99(), 2.0, 3, MissingData::NotBreaching),
    ];
    for (props, threshold, periods, missing) in cases {
        assert_eq!(props.comparison, Comparison::GreaterThan);
        assert!((props.threshold - threshold).abs() < f64::EPSILON);
        assert_eq!(
            (props.evaluation_periods, props.datapoints_to_alarm, props.treat_missing_data),
            (periods, None, missing)
        );
        assert!(props.topics.is_empty() && props.description.is_none());
    }
}

#[test]
fn percentiles_are_extended_statistics() {
    let target = crate::elbv2::LoadBalancerTarget {
        target_group_arn: "arn".into(),
        target_group_full_name: "targetgroup/tg/1".into(),
        load_balancer_full_name: "app/lb/2".into(),
        security_group_id: "sg".into(),
        security_group_logical_id: LogicalId::new("Sg").unwrap(),
        listeners: Vec::new(),
    };
    let p = alarm(&Metric::target_response_time(&target), AlarmProps::response_time_p99()).unwrap();
    assert_eq!(p["ExtendedStatistic"], "p99");
    assert!(p.get("Statistic").is_none());
    assert_eq!(p["TreatMissingData"], "notBreaching");
    assert_eq!(p["Threshold"], 2.0);
    assert_eq!(p["ComparisonOperator"], "GreaterThanThreshold");
    let p = alarm(&Metric::target_5xx_count(&target), AlarmProps::target_5xx().datapoints_to_alarm(1)).unwrap();
    assert_eq!((p["Statistic"].clone(), p["DatapointsToAlarm"].clone()), (json!("Sum"), json!(1)));
}

#[test]
fn every_rule_at_once() {
    let metric = cpu().with_period_seconds(45).with_statistic(Statistic::Percentile(0));
    let err = alarm(&metric, AlarmProps::new(Comparison::LessThan, 120.0, 0).datapoints_to_alarm(2)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Web/CpuHigh: datapoints_to_alarm must be 1..=0, got 2 [alarm/datapoints]\n\
         Web/CpuHigh: evaluation_periods must be 1 or more, got 0 [alarm/evaluation-periods]\n\
         Web/CpuHigh: a percentile statistic must be p1-p100, got p0 [alarm/percentile]\n\
         Web/CpuHigh: the metric's period must be 10, 30 or a multiple of 60 seconds, got 45 [alarm/period]\n\
         Web/CpuHigh: threshold for CPUUtilization must be 0-100 (a percent), got 120 [alarm/threshold-range]"
    );
}

#[test]
fn window_counts_and_name_length() {
    let err = alarm(&cpu().with_period_seconds(3600), AlarmProps::new(Comparison::GreaterThan, 1.0, 25)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Web/CpuHigh: evaluation_periods × period must be at most a day (86400 s), got 25 × 3600 s [alarm/evaluation-window]"
    );
    let count = Metric::new("App", "Jobs", Statistic::Sum, MetricUnit::Count);
    let err = alarm(&count, AlarmProps::new(Comparison::LessThan, -1.0, 1)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Web/CpuHigh: threshold for Jobs must be 0 or more (a count), got -1 [alarm/threshold-range]"
    );
    let mut stack = Stack::new("t").unwrap();
    let long = ConstructPath::root("A".repeat(130));
    Alarm::new(&mut stack, &long, &cpu(), AlarmProps::cpu_high()).unwrap();
    let err = stack.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the construct path makes an alarm name suffix of 131 characters, at most 127 fit [alarm/name-length]",
            "A".repeat(130)
        )
    );
}

#[test]
fn other_units_take_any_finite_threshold() {
    let metric = Metric::new("App", "Delta", Statistic::Average, MetricUnit::Other);
    let p = alarm(&metric, AlarmProps::new(Comparison::LessThanOrEqual, -5.5, 1).description("d")).unwrap();
    assert_eq!((p["Threshold"].clone(), p["AlarmDescription"].clone()), (json!(-5.5), json!("d")));
    assert!(p.get("Dimensions").is_none() && p.get("AlarmActions").is_none());
    let err = alarm(&metric, AlarmProps::new(Comparison::GreaterThan, f64::NAN, 1)).unwrap_err();
    assert!(err.to_string().ends_with("must be a finite number, got NaN [alarm/threshold-range]"), "{err}");
}
