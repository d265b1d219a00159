//! Drawing a 1,000-service app: 1,000 stacks of the seed pattern (each its own `SeedPipeline`),
//! each exporting its alarm topic's ARN and importing the previous stack's (the alarm topic's
//! display name reads it), so the app picture has 1,000 stack nodes and 999 import edges.
//! `cargo bench -p stackwright-graph`; figures in docs/PERFORMANCE.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stackwright_constructs::Stack;
use stackwright_constructs::patterns::{SeedPipeline, SeedPipelineProps, Source};
use stackwright_graph::{Options, app_graph, dot, mermaid, template_graph};
use stackwright_template::{Intrinsic, LogicalId, Output, Template, fns};

const SERVICES: usize = 1_000;

fn app() -> Vec<(String, Template)> {
    (0..SERVICES)
        .map(|i| {
            let name = format!("svc-{i:04}");
            let mut stack = Stack::new(&name).expect("a valid stack name");
            let props =
                SeedPipelineProps::new(&name, Source::github(format!("{name}-github"), format!("org/{name}"), "main"))
                    .unit_test_command("make test")
                    .runtime_hook(|runtime| runtime.alarm_email("oncall@example.com"));
            SeedPipeline::new(&mut stack, "Shop", props).expect("the seed pattern builds");
            let mut finished = stack.finish().expect("it finishes").into_template();
            let topic = LogicalId::new("ShopWebAlerts").expect("a logical ID");
            let arn: stackwright_template::Value<String> = Intrinsic::Ref(topic.to_string()).into();
            finished
                .add_output(
                    LogicalId::new("AlertsArn").expect("a logical ID"),
                    Output::new(arn).export(format!("{name}-alerts")),
                )
                .expect("a new output");
            if i > 0 {
                let upstream = fns::json(&fns::import_value(format!("svc-{:04}-alerts", i - 1)));
                let resource = finished.resource_mut(&topic).expect("the alarm topic");
                resource.set_property("DisplayName", upstream).expect("a property path");
            }
            (name, finished)
        })
        .collect()
}

fn graph(c: &mut Criterion) {
    let stacks = app();
    let resources: usize = stacks.iter().map(|(_, t)| t.resources().len()).sum();
    assert!(resources > 35 * SERVICES, "{resources} resources");
    let picture = app_graph("app", &stacks);
    assert_eq!((picture.nodes.len(), picture.edges.len()), (SERVICES, SERVICES - 1));
    c.bench_function("graph: 1,000-service app, stacks picture (build + mermaid + dot)", |b| {
        b.iter(|| {
            let graph = app_graph("app", black_box(&stacks));
            black_box((mermaid::render(&graph), dot::render(&graph)))
        });
    });
    c.bench_function("graph: 1,000-service app, every stack's resource picture (build + mermaid)", |b| {
        b.iter(|| {
            for (name, template) in black_box(&stacks) {
                black_box(mermaid::render(&template_graph(name, template, Options::default())));
            }
        });
    });
}

criterion_group!(benches, graph);
criterion_main!(benches);
