//! The hook the binary uses to return freed memory at once (see src/main.rs) runs once, when
//! the first large document is checked, and not for small ones. (A test binary of its own: the
//! hook is set once per process.)

use std::sync::atomic::{AtomicUsize, Ordering};

use mtlint::api::{Linter, Settings};
use mtlint::config::Overrides;

static CALLS: AtomicUsize = AtomicUsize::new(0);

fn count() {
    CALLS.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn the_large_document_hook_runs_once_and_only_for_a_large_document() {
    mtlint::engine::on_large_document(count);
    let linter = Linter::new(&Settings {
        overrides: Overrides {
            lang: Some("en".into()),
            ..Default::default()
        },
        ..Default::default()
    })
    .unwrap();
    let paragraph = "The lighting fair of the town opens in the spring of the year.\n\n";
    linter.check(paragraph.repeat(100), None).unwrap();
    assert_eq!(CALLS.load(Ordering::SeqCst), 0, "a small document");
    let large = paragraph.repeat(mtlint::engine::PART_SIZE / paragraph.len() + 1);
    linter.check(large.clone(), None).unwrap();
    linter.check(large, None).unwrap();
    assert_eq!(CALLS.load(Ordering::SeqCst), 1, "two large documents");
}
