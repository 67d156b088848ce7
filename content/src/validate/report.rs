//! A report of one file's problems, each placed at the field it is about, with the
//! checks every kind of file shares: both languages present, icons, ranges, unique
//! entries and described lists.

use std::collections::HashSet;
use std::fmt::{Debug, Display};
use std::hash::Hash;
use std::path::Path;

use crate::defs::Choice;
use crate::error::Problem;
use crate::load::Parsed;
use crate::locate::{Step, locate};
use crate::text::Text;

use Step::{Field, Index};

/// The longest icon accepted, in characters: one emoji, perhaps with a modifier.
const MAX_ICON_CHARS: usize = 4;

/// Collects the problems of one file, placing each at its field.
pub(super) struct Report<'a> {
    path: &'a Path,
    source: &'a str,
    problems: &'a mut Vec<Problem>,
    found: usize,
}

impl<'a> Report<'a> {
    pub(super) fn new<Def>(file: &'a Parsed<Def>, problems: &'a mut Vec<Problem>) -> Report<'a> {
        Report {
            path: &file.path,
            source: &file.source,
            problems,
            found: 0,
        }
    }

    /// Whether the file has had no problem so far.
    pub(super) fn ok(&self) -> bool {
        self.found == 0
    }

    pub(super) fn fail(&mut self, at: &[Step], message: impl Display) {
        self.found += 1;
        let position = locate(self.source, at);
        let message = if at.is_empty() {
            message.to_string()
        } else {
            format!("{}: {message}", path_text(at))
        };
        self.problems.push(Problem {
            path: self.path.to_owned(),
            position: Some(position),
            message,
        });
    }

    pub(super) fn text(&mut self, at: &[Step], text: &Text) {
        if let Some(lang) = text.blank_field() {
            let language = if lang == "en" { "English" } else { "Welsh" };
            self.fail(
                &[at, &[Field(lang)]].concat(),
                format!("the {language} text is blank"),
            );
        }
    }

    pub(super) fn texts(
        &mut self,
        at: &[Step],
        texts: &[Text],
        count: std::ops::RangeInclusive<usize>,
    ) {
        if !count.contains(&texts.len()) {
            let (least, most) = count.into_inner();
            self.fail(
                at,
                format!("needs {least} to {most} entries, not {}", texts.len()),
            );
        }
        for (index, text) in texts.iter().enumerate() {
            self.text(&[at, &[Index(index)]].concat(), text);
        }
    }

    pub(super) fn icon(&mut self, at: &[Step], icon: &str) {
        let chars = icon.trim().chars().count();
        if chars == 0 || chars > MAX_ICON_CHARS {
            self.fail(at, format!("an icon is one emoji, not {icon:?}"));
        }
    }

    pub(super) fn range(
        &mut self,
        at: &[Step],
        value: u32,
        range: std::ops::RangeInclusive<u32>,
        unit: &str,
    ) {
        if !range.contains(&value) {
            self.fail(
                at,
                format!(
                    "{value} {unit} is outside {} to {}",
                    range.start(),
                    range.end()
                ),
            );
        }
    }

    /// Checks a list is not empty and names its first repeat.
    pub(super) fn unique<T: Eq + Hash + Debug>(&mut self, at: &[Step], list: &[T], what: &str) {
        if list.is_empty() {
            self.fail(at, format!("needs at least one {what}"));
        }
        let mut seen = HashSet::new();
        if let Some(index) = list.iter().position(|item| !seen.insert(item)) {
            self.fail(
                &[at, &[Index(index)]].concat(),
                format!("{what} {:?} appears twice", list[index]),
            );
        }
    }

    pub(super) fn choices(
        &mut self,
        at: &[Step],
        choices: &[Choice],
        count: std::ops::RangeInclusive<usize>,
    ) {
        if !count.contains(&choices.len()) {
            let (least, most) = count.into_inner();
            self.fail(
                at,
                format!("needs {least} to {most} choices, not {}", choices.len()),
            );
        }
        for (index, choice) in choices.iter().enumerate() {
            self.text(&[at, &[Index(index), Field("text")]].concat(), &choice.text);
        }
        self.unique_ids(at, choices);
    }

    /// Choice ids identify what a pupil picked, so each is used once within a task.
    pub(super) fn unique_ids(&mut self, at: &[Step], choices: &[Choice]) {
        let mut seen = HashSet::new();
        for choice in choices {
            if choice.id.trim().is_empty() {
                self.fail(at, "a choice id is blank");
            } else if !seen.insert(choice.id.as_str()) {
                self.fail(at, format!("choice id {:?} appears twice", choice.id));
            }
        }
    }

    pub(super) fn described<D, Id: Copy + Eq + Debug>(
        &mut self,
        at: Step,
        list: &[D],
        every: &[Id],
        parts: impl Fn(&D) -> (Id, &Text, &Text),
    ) {
        for (index, entry) in list.iter().enumerate() {
            let (id, name, summary) = parts(entry);
            let here = [at.clone(), Index(index)];
            self.text(&[&here[..], &[Field("name")]].concat(), name);
            self.text(&[&here[..], &[Field("summary")]].concat(), summary);
            if list[..index].iter().any(|earlier| parts(earlier).0 == id) {
                self.fail(
                    &[&here[..], &[Field("id")]].concat(),
                    format!("{id:?} is described twice"),
                );
            }
        }
        for id in every {
            if !list.iter().any(|entry| parts(entry).0 == *id) {
                self.fail(
                    std::slice::from_ref(&at),
                    format!("{id:?} is not described"),
                );
            }
        }
    }
}

/// A path as an author reads it: `tasks[1].kind.answer`.
fn path_text(at: &[Step]) -> String {
    let mut text = String::new();
    for step in at {
        match step {
            Field(name) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(name);
            }
            Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}
