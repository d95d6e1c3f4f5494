//! The extractor's quality on the seeds, scored against the gold copy in
//! tests/gold/seeds by `stratagraph eval --json`. The floors are the scores
//! reached so far: a change that lowers one fails here.

mod common;

use common::*;

/// (measure, floor)
const FLOORS: &[(&str, f64)] = &[
    ("/entities/f1", 0.96),
    ("/type_accuracy", 0.99),
    ("/relations/f1", 0.71),
    ("/relations/precision", 0.80),
];

#[test]
fn seed_scores_stay_above_their_floors() {
    let o = stratagraph(
        &root(),
        &["eval", "--json", "--gold", "tests/gold/seeds", "seeds"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_slice(&o.stdout).expect("eval --json prints JSON");
    for &(pointer, floor) in FLOORS {
        let score = report
            .pointer(pointer)
            .and_then(|v| v.as_f64())
            .unwrap_or_else(|| panic!("{pointer} missing"));
        assert!(
            score >= floor,
            "{pointer} = {score:.3}, below its floor {floor}"
        );
    }
    assert_eq!(
        report["by_document"].as_object().map(|d| d.len()),
        Some(5),
        "every seed is scored"
    );
}

#[test]
fn eval_reports_misses_with_their_sentences() {
    let o = stratagraph(&root(), &["eval", "--gold", "tests/gold/seeds", "seeds"]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("per property"), "{table}");
    assert!(table.contains("missed ("), "{table}");
}

#[test]
fn a_bad_gold_file_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("gold")).unwrap();
    std::fs::write(
        dir.path().join("gold/a.json"),
        "{\n  \"doc\": \"a.txt\",\n  \"entities\": [,]\n}",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.txt"), "Iraq.").unwrap();
    let o = stratagraph(dir.path(), &["eval", "--gold", "gold", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a.json:3:"), "{}", stderr(&o));
}
