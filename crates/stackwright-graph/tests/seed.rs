//! The seed architecture's picture, in both formats: snapshots of the exact bytes, and the
//! same bytes on a second run.

use stackwright_graph::{Options, dot, mermaid, template_graph};

fn seed() -> stackwright_template::Template {
    let app = example_seed_pipeline::app().expect("the seed builds");
    app.finished_stack(example_seed_pipeline::STACK_NAME).expect("the seed stack").clone()
}

#[test]
fn seed_graph_mermaid() {
    let graph = template_graph("seed-pipeline", &seed(), Options::default());
    let text = mermaid::render(&graph);
    assert_eq!(text, mermaid::render(&template_graph("seed-pipeline", &seed(), Options::default())));
    insta::assert_snapshot!("seed_graph_mermaid", text);
}

#[test]
fn seed_graph_dot() {
    let graph = template_graph("seed-pipeline", &seed(), Options::default());
    insta::assert_snapshot!("seed_graph_dot", dot::render(&graph));
}

#[test]
fn seed_graph_depth_2_collapses_the_web_runtime_parts() {
    let graph = template_graph("seed-pipeline", &seed(), Options { depth: Some(2) });
    insta::assert_snapshot!("seed_graph_depth_2_mermaid", mermaid::render(&graph));
}
