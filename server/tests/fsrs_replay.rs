//! `server fsrs replay`, run as a user would run it.

use std::{io::Write, process::Command};

fn replay(input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["fsrs", "replay", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn replay_prints_each_state_and_ends_on_the_fsrs_reference_memory() {
    // Again, then Good five times, at day gaps 0, 0, 1, 3, 8, 21.
    let reference = r#"{"id": "reference", "reviews": [["2026-01-01T10:00:00+00:00", 1], ["2026-01-01T10:01:00+00:00", 3], ["2026-01-02T10:00:00+00:00", 3], ["2026-01-05T10:00:00+00:00", 3], ["2026-01-13T10:00:00+00:00", 3], ["2026-02-03T10:00:00+00:00", 3]]}"#;
    let in_steps = r#"{"id": 7, "reviews": [["2026-01-01T10:52:00+02:00", 3]]}"#;
    let output = replay(&format!("{reference}\n\n{in_steps}\n"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);

    assert_eq!(lines[0]["id"], "reference");
    let states = lines[0]["states"].as_array().unwrap();
    assert_eq!(states.len(), 6);
    assert_eq!(states[0]["state"], "learning");
    assert_eq!(
        states[0]["due"], "2026-01-01T10:01:00Z",
        "Again waits the first step, one minute"
    );
    let last = &states[5];
    assert_eq!(last["state"], "review");
    assert!(
        (last["stability"].as_f64().unwrap() - 53.62691).abs() < 1e-4,
        "{last}"
    );
    assert!(
        (last["difficulty"].as_f64().unwrap() - 6.3574867).abs() < 1e-4,
        "{last}"
    );
    // A review's due date is the start of a day (4 a.m. UTC).
    assert!(last["due"].as_str().unwrap().ends_with("T04:00:00Z"), "{last}");

    // Good on a new card moves to the second step, ten minutes later.
    assert_eq!(lines[1]["id"], 7);
    assert_eq!(lines[1]["states"][0]["state"], "learning");
    assert_eq!(lines[1]["states"][0]["due"], "2026-01-01T09:02:00Z");
}

#[test]
fn bad_input_is_refused_with_the_line_and_the_reason() {
    for (input, reason) in [
        (
            r#"{"id": 1, "reviews": [["2026-01-01T10:00:00+00:00", 5]]}"#,
            "rating 5",
        ),
        (r#"{"id": 1, "reviews": [["yesterday", 3]]}"#, "RFC 3339"),
        ("not json", "not a history"),
    ] {
        let output = replay(&format!("\n{input}\n"));
        assert!(!output.status.success(), "{input}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("line 2") && stderr.contains(reason),
            "{input}: {stderr}"
        );
    }
}
