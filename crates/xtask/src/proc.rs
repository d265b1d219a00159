//! Running child processes: streamed to our own stdout/stderr, or captured with a time limit.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

/// A command line as a person would type it, for messages.
pub(crate) fn display(cmd: &Command) -> String {
    let program = std::path::Path::new(cmd.get_program());
    // `$CARGO` is a long toolchain path; people type `cargo`.
    let mut text = if program.file_name().is_some_and(|name| name == "cargo") {
        "cargo".to_owned()
    } else {
        program.to_string_lossy().into_owned()
    };
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.is_empty() || arg.contains(char::is_whitespace) {
            let _ = write!(text, " '{arg}'");
        } else {
            let _ = write!(text, " {arg}");
        }
    }
    text
}

/// Runs `cmd` with inherited stdio (its output streams into ours) and returns its status.
pub(crate) fn stream(cmd: &mut Command) -> Result<ExitStatus> {
    cmd.stdin(Stdio::null()).status().with_context(|| format!("cannot start `{}`", display(cmd)))
}

/// What a captured child did.
#[derive(Debug)]
pub(crate) struct Captured {
    /// The exit code; `None` when it was ended by a signal (or by our time limit).
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) elapsed: Duration,
    pub(crate) timed_out: bool,
}

impl Captured {
    /// `exit status 3`, `killed after the 600 s limit`, ...
    pub(crate) fn describe_status(&self) -> String {
        match (self.timed_out, self.code) {
            (true, _) => format!("stopped after the {} s time limit", self.elapsed.as_secs()),
            (false, Some(code)) => format!("exit status {code}"),
            (false, None) => "ended by a signal".to_owned(),
        }
    }
}

/// Runs `cmd` with stdout and stderr captured. Past `limit` the child gets SIGTERM, then SIGKILL.
pub(crate) fn capture(cmd: &mut Command, limit: Duration) -> Result<Captured> {
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start `{}`", display(cmd)))?;
    let stdout = reader(child.stdout.take());
    let stderr = reader(child.stderr.take());
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > limit {
            timed_out = true;
            break terminate(&mut child)?;
        }
        thread::sleep(Duration::from_millis(50));
    };
    Ok(Captured {
        code: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        elapsed: started.elapsed(),
        timed_out,
    })
}

fn reader<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Asks our own child to stop (SIGTERM, so that it can clean up what it started), then kills it.
fn terminate(child: &mut Child) -> Result<ExitStatus> {
    let _ = Command::new("kill")
        .args([OsStr::new("-TERM"), OsStr::new(&child.id().to_string())])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let grace = Instant::now();
    while grace.elapsed() < Duration::from_secs(15) {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    Ok(child.wait()?)
}
