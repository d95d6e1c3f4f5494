//! The README's commands, run as a newcomer would run them, in the order
//! it shows them, in a fresh folder holding the seeds: every `stratagraph`
//! and `cargo run --release --` command line of its code blocks exits 0,
//! and where the README prints what a command prints (the block right
//! after it), the program prints that (within what it prints). The build summary it shows is
//! compared too, but for its timings.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// A command of the README and the output it shows, if any.
struct Shown {
    line: usize,
    command: String,
    output: Option<String>,
}

/// The command lines of the README's indented code and `sh` blocks, each
/// with the bare fenced block that follows it, if one does.
fn commands(readme: &str) -> Vec<Shown> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(tag) = line.strip_prefix("```") {
            fence = match fence {
                Some(_) => None,
                None => Some(tag),
            };
            i += 1;
            continue;
        }
        let code = match fence {
            Some("sh") => Some(line),
            Some(_) => None,
            None => line.strip_prefix("    "),
        };
        let Some(code) = code.map(str::trim) else {
            i += 1;
            continue;
        };
        if !(code.starts_with("stratagraph ") || code.starts_with("cargo run --release -- ")) {
            i += 1;
            continue;
        }
        let mut output = None;
        if fence.is_none() {
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim().is_empty() {
                j += 1;
            }
            if lines.get(j) == Some(&"```") {
                let end = (j + 1..lines.len())
                    .find(|&k| lines[k] == "```")
                    .expect("a closed block");
                output = Some(lines[j + 1..end].join("\n") + "\n");
            }
        }
        out.push(Shown {
            line: i + 1,
            command: code.to_string(),
            output,
        });
        i += 1;
    }
    out
}

/// Why a command is not run here, if it is not.
fn skipped(command: &str) -> Option<&'static str> {
    if command.contains(" train ") {
        Some("retrains the model over ontology/reader.model")
    } else if command.contains(" serve ") {
        Some("runs until stopped (tests/store.rs serves)")
    } else if command.contains("$I") || command.contains("part-0007") || command.contains("shards/")
    {
        Some("a sketch for a cluster (tests/scale.rs runs shards and streams)")
    } else if command.contains("../shared/corpora")
        && !root().join("../shared/corpora/re3d").is_dir()
    {
        Some("needs ../shared/corpora")
    } else {
        None
    }
}

#[test]
fn the_readme_commands_run_and_print_what_it_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let shown = commands(&readme);
    assert!(shown.len() >= 6, "{} commands found", shown.len());
    let dir = tempfile::tempdir().unwrap();
    // A folder like a clone: the seeds, the examples, the corpora beside.
    copy_dir(&seeds(), &dir.path().join("seeds"));
    copy_dir(&root().join("examples"), &dir.path().join("examples"));
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_stratagraph"), bin.join("stratagraph")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let shared = root().join("../shared");
    let mut first_build: Option<String> = None;
    let mut ran = 0;
    for s in &shown {
        if let Some(why) = skipped(&s.command) {
            eprintln!("README:{}: not run here ({why}): {}", s.line, s.command);
            continue;
        }
        let command = s
            .command
            .replacen("cargo run --release -- ", "stratagraph ", 1)
            .replace("../shared/", &format!("{}/", shared.display()));
        let o = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("STRATAGRAPH_ONTOLOGY", root().join("ontology"))
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        );
        assert!(
            o.status.success(),
            "README:{}: {command}\nexit {:?}\n{stderr}",
            s.line,
            o.status.code()
        );
        ran += 1;
        if command.starts_with("stratagraph build seeds") && first_build.is_none() {
            first_build = Some(stderr.clone());
        }
        // What the README shows is printed, as it shows it (a run may
        // print more around it: headers, per-document tables).
        if let Some(want) = &s.output {
            assert!(
                stdout.contains(want.as_str()),
                "README:{}: {command} prints otherwise.\nshown:\n{want}\nprinted:\n{stdout}",
                s.line
            );
        }
    }
    assert!(ran >= 4, "only {ran} commands ran");
    // The build summary the README shows, but for its timings.
    let summary_start = readme
        .find("```\ndocuments: ")
        .expect("the README shows a build summary");
    let block = &readme[summary_start + 4..];
    let block = &block[..block.find("```").unwrap()];
    let untimed = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("stages:") && !l.contains(" quads in "))
            .map(String::from)
            .collect()
    };
    let printed = first_build.expect("the README builds the seeds");
    assert_eq!(untimed(&printed), untimed(block), "the build summary");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
