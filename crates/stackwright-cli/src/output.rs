//! Rendering an app into files, and writing them all or nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

use serde_json::Map;
use stackwright_template::{App, Json, Placement};

/// The file name of the manifest synth writes next to the templates.
pub(crate) const MANIFEST_FILE: &str = "manifest.json";

/// What synth wrote: one entry per stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The stacks in deployment order: each after the stacks it depends on, ties by name.
    pub stacks: Vec<ManifestStack>,
}

/// One stack in the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestStack {
    /// The stack name.
    pub name: String,
    /// The template's file name.
    pub file: String,
    /// How many resources the template has.
    pub resources: usize,
    /// Hex SHA-256 of the template's bytes.
    pub sha256: String,
    /// The stacks it is deployed after, sorted, each with why (`imports net:VpcId`).
    pub dependencies: Vec<(String, String)>,
    /// Where it is deployed, if placed.
    pub placement: Option<Placement>,
}

impl Manifest {
    /// The manifest as canonical JSON text.
    ///
    /// `stacks` keeps the deployment order; `environments` lists each environment once, sorted,
    /// with its account and region (when pinned) and its stacks in deployment order. A stack's
    /// `environment`, `account` and `region` are present only when it was placed.
    pub fn render(&self) -> String {
        let mut environments: BTreeMap<&Placement, Vec<&str>> = BTreeMap::new();
        let stacks: Vec<Json> = self
            .stacks
            .iter()
            .map(|s| {
                let dependencies: Vec<Json> =
                    s.dependencies.iter().map(|(on, why)| serde_json::json!({"stack": on, "reason": why})).collect();
                let mut entry = Map::new();
                entry.insert("name".into(), Json::from(s.name.clone()));
                entry.insert("file".into(), Json::from(s.file.clone()));
                entry.insert("resources".into(), Json::from(s.resources));
                entry.insert("sha256".into(), Json::from(s.sha256.clone()));
                entry.insert("dependencies".into(), Json::Array(dependencies));
                if let Some(placement) = &s.placement {
                    environments.entry(placement).or_default().push(&s.name);
                    entry.insert("environment".into(), Json::from(placement.environment.clone()));
                    placed_fields(&mut entry, placement);
                }
                Json::Object(entry)
            })
            .collect();
        let environments: Vec<Json> = environments
            .into_iter()
            .map(|(placement, stacks)| {
                let mut entry = Map::new();
                entry.insert("name".into(), Json::from(placement.environment.clone()));
                entry.insert("stacks".into(), Json::from(stacks));
                placed_fields(&mut entry, placement);
                for (key, values) in [("parameters", &placement.parameters), ("overrides", &placement.overrides)] {
                    if !values.is_empty() {
                        let map: Map<String, Json> =
                            values.iter().map(|(k, v)| (k.clone(), Json::from(v.clone()))).collect();
                        entry.insert(key.into(), Json::Object(map));
                    }
                }
                Json::Object(entry)
            })
            .collect();
        let manifest = serde_json::json!({"version": 2, "stacks": stacks, "environments": environments});
        stackwright_template::render::canonical_json(&manifest)
    }
}

fn placed_fields(entry: &mut Map<String, Json>, placement: &Placement) {
    if let Some(account) = &placement.account {
        entry.insert("account".into(), Json::from(account.clone()));
    }
    if let Some(region) = &placement.region {
        entry.insert("region".into(), Json::from(region.clone()));
    }
}

/// Renders every stack of `app`, deferred ones built first ([`App::into_built`], which also
/// checks their dependencies as `synth` does): the files synth writes, as (file name,
/// contents), in deployment order ([`App::in_dependency_order`]), the manifest last, and the
/// manifest itself. Everything is held in memory; `synth` streams instead.
///
/// # Errors
///
/// When a deferred stack fails to build or breaks a dependency rule.
pub fn render_app(app: App) -> Result<(Vec<(String, String)>, Manifest), stackwright_template::Error> {
    let app = app.into_built()?;
    let mut files = Vec::with_capacity(app.len() + 1);
    let mut stacks = Vec::with_capacity(app.len());
    for (name, template) in app.in_dependency_order() {
        let file = format!("{name}.template.json");
        let text = template.render();
        stacks.push(ManifestStack {
            name: name.to_string(),
            file: file.clone(),
            resources: template.resources().len(),
            sha256: hex(&Sha256::digest(text.as_bytes())),
            dependencies: app
                .dependencies(name)
                .into_iter()
                .map(|(on, why)| (on.to_string(), why.to_string()))
                .collect(),
            placement: app.placement(name).cloned(),
        });
        files.push((file, text));
    }
    let manifest = Manifest { stacks };
    files.push((MANIFEST_FILE.to_owned(), manifest.render()));
    Ok((files, manifest))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Whether `name` is a file synth writes (so it may replace a directory holding only these).
fn is_synth_output(name: &str) -> bool {
    name == MANIFEST_FILE || name.ends_with(".template.json")
}

/// Writes `files` as the whole content of `dir`: into a fresh sibling directory first, then
/// swapped in by renames, so a failure leaves the previous `dir` as it was.
#[cfg(test)]
pub(crate) fn write_all_or_nothing(dir: &Path, files: &[(String, String)]) -> anyhow::Result<()> {
    let staging = Staging::new(dir)?;
    for (name, text) in files {
        staging.write(name, text.as_bytes())?;
    }
    staging.commit()
}

/// A fresh sibling directory that becomes `dir` as a whole on [`Staging::commit`]; dropped
/// without a commit, it is removed and `dir` stays as it was. Files are written into it one
/// at a time (from any thread), so a synth never holds every template at once.
#[derive(Debug)]
pub(crate) struct Staging {
    dir: PathBuf,
    fresh: PathBuf,
    previous: PathBuf,
    committed: bool,
}

impl Staging {
    /// Refuses a `dir` that holds files synth did not write, before anything is built.
    pub(crate) fn new(dir: &Path) -> anyhow::Result<Self> {
        if dir.exists() {
            let foreign: Vec<String> = fs::read_dir(dir)
                .with_context(|| format!("cannot read {}", dir.display()))?
                .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
                .collect::<Result<Vec<_>, _>>()
                .with_context(|| format!("cannot read {}", dir.display()))?
                .into_iter()
                .filter(|name| !is_synth_output(name))
                .collect();
            if !foreign.is_empty() {
                bail!(
                    "refusing to replace {}: it holds files synth did not write ({})",
                    dir.display(),
                    foreign.join(", ")
                );
            }
        }
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let base = dir.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let staging = sibling(&parent, &base, "new");
        fs::create_dir(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
        Ok(Self { dir: dir.to_path_buf(), previous: sibling(&parent, &base, "old"), fresh: staging, committed: false })
    }

    /// Writes one file into the staging directory.
    pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.fresh.join(name);
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Swaps the staging directory in for `dir`.
    pub(crate) fn commit(mut self) -> anyhow::Result<()> {
        let (dir, staging, previous) = (&self.dir, &self.fresh, &self.previous);
        let had_previous = dir.exists();
        if had_previous {
            fs::rename(dir, previous).with_context(|| format!("cannot move {} aside", dir.display()))?;
        }
        if let Err(error) = fs::rename(staging, dir) {
            if had_previous && fs::rename(previous, dir).is_err() {
                // Never delete the only copy of the previous output.
                return Err(error).with_context(|| {
                    format!(
                        "cannot move the new output into {}; the previous output is in {}",
                        dir.display(),
                        previous.display()
                    )
                });
            }
            return Err(error).with_context(|| format!("cannot move the new output into {}", dir.display()));
        }
        self.committed = true;
        if had_previous {
            remove_on_every_core(previous);
        }
        Ok(())
    }
}

/// Removes the previous output, moved aside, its files split between the cores: deleting a
/// thousand templates is most of what a synth does after the last stack is written, and the
/// other cores are idle by then. Best effort, as before: the new output is already in place.
fn remove_on_every_core(dir: &Path) {
    let files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| entries.filter_map(|entry| entry.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let share = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in files.chunks(share) {
            scope.spawn(move || {
                for file in part {
                    let _ = fs::remove_file(file);
                }
            });
        }
    });
    // Whatever is left (a directory someone added, a file that would not go).
    let _ = fs::remove_dir_all(dir);
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.fresh);
        }
    }
}

/// A sibling path unique to this run (process ID and clock), so concurrent or crashed runs
/// never share one.
fn sibling(parent: &Path, base: &str, role: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    parent.join(format!(".{base}.{role}-{}-{nanos}", std::process::id()))
}

/// Whether the error is a closed standard output (e.g. `synth --stdout | head`).
pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<(String, String)> {
        names.iter().map(|n| ((*n).to_owned(), format!("{n}\n"))).collect()
    }

    #[test]
    fn the_manifest_lists_stacks_in_deployment_order_with_dependencies_and_environments() {
        use stackwright_template::{Output, Stack, StackName, Template, fns};
        let staging = Placement {
            environment: "staging".into(),
            account: Some("111111111111".into()),
            overrides: [("desired_count".to_owned(), "1".to_owned())].into(),
            ..Placement::default()
        };
        let mut net = Template::new();
        net.add_output(stackwright_template::LogicalId::new("Vpc").unwrap(), Output::new("vpc-1").export("z-net:Vpc"))
            .unwrap();
        let mut web = Template::new();
        web.add_output(
            stackwright_template::LogicalId::new("Vpc").unwrap(),
            Output::new(fns::import_value("z-net:Vpc")),
        )
        .unwrap();
        let mut app = App::new();
        for (name, template) in [("a-web", web), ("z-net", net)] {
            let stack = Stack::from_template(StackName::new(name).unwrap(), template).unwrap();
            app.add_stack(stack.with_placement(staging.clone())).unwrap();
        }
        let (files, manifest) = render_app(app).unwrap();
        let names: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(names, ["z-net.template.json", "a-web.template.json", "manifest.json"]);
        let json: Json = serde_json::from_str(&manifest.render()).unwrap();
        assert_eq!(json["version"], 2);
        assert_eq!(json["stacks"][1]["name"], "a-web");
        assert_eq!(
            json["stacks"][1]["dependencies"],
            serde_json::json!([{"stack": "z-net", "reason": "imports z-net:Vpc"}])
        );
        assert_eq!(json["stacks"][1]["environment"], "staging");
        assert_eq!(json["stacks"][1]["account"], "111111111111");
        assert!(json["stacks"][1].get("region").is_none());
        assert_eq!(
            json["environments"],
            serde_json::json!([{"name": "staging", "account": "111111111111", "stacks": ["z-net", "a-web"],
                               "overrides": {"desired_count": "1"}}])
        );
    }

    #[test]
    fn replaces_previous_output_as_a_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write_all_or_nothing(&out, &files(&["a.template.json", "manifest.json"])).unwrap();
        write_all_or_nothing(&out, &files(&["b.template.json", "manifest.json"])).unwrap();
        let mut names: Vec<_> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, ["b.template.json", "manifest.json"]);
        // No staging or backup directories are left behind.
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_large_previous_output_is_removed_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let many: Vec<String> = (0..41).map(|i| format!("s{i}.template.json")).collect();
        write_all_or_nothing(&out, &files(&many.iter().map(String::as_str).collect::<Vec<_>>())).unwrap();
        write_all_or_nothing(&out, &files(&["manifest.json"])).unwrap();
        assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "the previous output is gone");
    }

    #[test]
    fn refuses_to_replace_a_directory_with_other_files() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        let err = write_all_or_nothing(tmp.path(), &files(&["manifest.json"])).unwrap_err();
        assert!(err.to_string().contains("holds files synth did not write (notes.txt)"), "{err}");
        assert_eq!(fs::read_to_string(tmp.path().join("notes.txt")).unwrap(), "mine");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write_all_or_nothing(&out, &files(&["a.template.json"])).unwrap();
        // A file name that cannot be created inside the staging directory.
        let bad = vec![("missing-dir/x.template.json".to_owned(), String::new())];
        assert!(write_all_or_nothing(&out, &bad).is_err());
        assert_eq!(fs::read_to_string(out.join("a.template.json")).unwrap(), "a.template.json\n");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
