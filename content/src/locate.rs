//! Finds where a value sits in RON source, given its path of fields and list indices.
//!
//! Serde hands validation a parsed value with no positions, yet an author needs the
//! line and column of a bad answer or an unknown id. Rather than carry spans through
//! every type, validation names the path of what is wrong (`tasks[1].answer`) and this
//! module walks the source text along that path. It understands just enough of RON
//! to skip values: strings, raw strings, characters, comments and brackets.

use crate::error::Position;

/// One step of a path into a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// A named field of a struct or struct-like enum variant.
    Field(&'static str),
    /// An element of a list.
    Index(usize),
}

/// The position of the value at `path` in `source`; where the path cannot be followed
/// to the end (a defaulted field, say), the position of the deepest value it reached.
pub(crate) fn locate(source: &str, path: &[Step]) -> Position {
    let mut cursor = Cursor { source, at: 0 };
    cursor.skip_blank();
    let mut found = cursor.at;
    for step in path {
        let reached = match step {
            Step::Field(name) => cursor.enter_field(name),
            Step::Index(index) => cursor.enter_index(*index),
        };
        if !reached {
            break;
        }
        found = cursor.at;
    }
    position_of(source, found)
}

/// The line and column of a byte offset.
pub(crate) fn position_of(source: &str, offset: usize) -> Position {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    Position {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

/// The first position at or after `from` that is not white space or a comment.
pub(crate) fn skip_blank_from(source: &str, from: Position) -> Position {
    let line_start: usize = source
        .split_inclusive('\n')
        .take(from.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let column_offset: usize = source[line_start.min(source.len())..]
        .chars()
        .take(from.column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let mut cursor = Cursor {
        source,
        at: (line_start + column_offset).min(source.len()),
    };
    cursor.skip_blank();
    position_of(source, cursor.at)
}

struct Cursor<'a> {
    source: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.source[self.at..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Moves into the value of field `name` of the struct that starts here.
    fn enter_field(&mut self, name: &str) -> bool {
        let start = self.at;
        if !self.open_struct() {
            self.at = start;
            return false;
        }
        loop {
            self.skip_blank();
            let field = self.identifier();
            if field.is_empty() {
                self.at = start;
                return false;
            }
            self.skip_blank();
            if self.peek() != Some(':') {
                self.at = start;
                return false;
            }
            self.at += 1;
            self.skip_blank();
            if field == name {
                return true;
            }
            self.skip_value();
            self.skip_blank();
            if self.peek() == Some(',') {
                self.at += 1;
            }
        }
    }

    /// Moves into element `index` of the list that starts here.
    fn enter_index(&mut self, index: usize) -> bool {
        let start = self.at;
        self.unwrap_some();
        if self.peek() != Some('[') {
            self.at = start;
            return false;
        }
        self.at += 1;
        for _ in 0..index {
            self.skip_blank();
            self.skip_value();
            self.skip_blank();
            if self.peek() != Some(',') {
                self.at = start;
                return false;
            }
            self.at += 1;
        }
        self.skip_blank();
        if matches!(self.peek(), Some(']') | None) {
            self.at = start;
            return false;
        }
        true
    }

    /// Steps past an optional struct or variant name and the opening parenthesis.
    fn open_struct(&mut self) -> bool {
        self.unwrap_some();
        self.identifier();
        self.skip_blank();
        if self.peek() != Some('(') {
            return false;
        }
        self.at += 1;
        true
    }

    /// Steps inside `Some(...)`, which wraps optional values transparently.
    fn unwrap_some(&mut self) {
        if self.rest().starts_with("Some") {
            let start = self.at;
            self.at += "Some".len();
            self.skip_blank();
            if self.peek() == Some('(') {
                self.at += 1;
                self.skip_blank();
            } else {
                self.at = start;
            }
        }
    }

    fn identifier(&mut self) -> &'a str {
        let start = self.at;
        let len = self
            .rest()
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(self.rest().len());
        self.at += len;
        &self.source[start..self.at]
    }

    /// Skips one value: everything up to a comma or closing bracket at its own depth.
    fn skip_value(&mut self) {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => return,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => return,
                '"' => {
                    self.skip_string();
                    continue;
                }
                'r' if self.rest()[1..].starts_with(['"', '#']) => {
                    self.skip_raw_string();
                    continue;
                }
                '\'' => {
                    self.skip_char();
                    continue;
                }
                '/' if self.rest().starts_with("//") || self.rest().starts_with("/*") => {
                    self.skip_blank();
                    continue;
                }
                _ => {}
            }
            self.at += c.len_utf8();
        }
    }

    fn skip_string(&mut self) {
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((offset, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    self.at += offset + 1;
                    return;
                }
                _ => {}
            }
        }
        self.at = self.source.len();
    }

    fn skip_raw_string(&mut self) {
        let hashes = self.rest()[1..].chars().take_while(|&c| c == '#').count();
        let closing = format!("\"{}", "#".repeat(hashes));
        let body = 1 + hashes + 1;
        match self.rest().get(body..).and_then(|rest| rest.find(&closing)) {
            Some(end) => self.at += body + end + closing.len(),
            None => self.at = self.source.len(),
        }
    }

    fn skip_char(&mut self) {
        // Past the opening quote and the first character (or backslash and escaped
        // character), the next quote closes the literal.
        let mut chars = self.rest().char_indices().skip(1);
        let first = chars.next().map(|(_, c)| c);
        if first == Some('\\') {
            chars.next();
        }
        let end = chars.find(|&(_, c)| c == '\'').map(|(offset, _)| offset);
        self.at = end.map_or(self.source.len(), |end| self.at + end + 1);
    }

    /// Skips white space and comments; RON's block comments nest.
    fn skip_blank(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.at += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.at += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if trimmed.starts_with("/*") {
                self.skip_block_comment();
            } else {
                return;
            }
        }
    }

    fn skip_block_comment(&mut self) {
        let mut depth = 0usize;
        while self.at < self.source.len() {
            let rest = self.rest();
            if rest.starts_with("/*") {
                depth += 1;
                self.at += 2;
            } else if rest.starts_with("*/") {
                depth -= 1;
                self.at += 2;
                if depth == 0 {
                    return;
                }
            } else {
                self.at += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUEST: &str = r##"// A quest.
(
    giver: "electrician",
    title: (en: "A (tricky) one, with \"quotes\"", cy: "Un [anodd]"),
    /* a comment with ( brackets /* nested */ ] */
    tasks: [
        (prompt: (en: "a", cy: "b"), kind: ChooseOne(options: [], answer: "x")),
        (
            prompt: (en: "c", cy: 'd'),
            kind: Number(unit: (en: r#"£"#, cy: "£"), answer: 3.5),
            explain: Some((en: "e", cy: "f")),
        ),
    ],
)
"##;

    #[test]
    fn finds_fields_past_strings_comments_and_brackets() {
        let at = locate(QUEST, &[Step::Field("tasks")]);
        assert_eq!(
            at,
            Position {
                line: 6,
                column: 12
            }
        );
    }

    #[test]
    fn finds_fields_inside_list_elements_and_variants() {
        let answer = [
            Step::Field("tasks"),
            Step::Index(1),
            Step::Field("kind"),
            Step::Field("answer"),
        ];
        assert_eq!(
            locate(QUEST, &answer),
            Position {
                line: 10,
                column: 63
            }
        );
        let explain = [
            Step::Field("tasks"),
            Step::Index(1),
            Step::Field("explain"),
            Step::Field("cy"),
        ];
        assert_eq!(
            locate(QUEST, &explain),
            Position {
                line: 11,
                column: 41
            }
        );
    }

    #[test]
    fn stops_at_the_deepest_value_it_can_reach() {
        let missing = [Step::Field("tasks"), Step::Index(7), Step::Field("prompt")];
        assert_eq!(
            locate(QUEST, &missing),
            Position {
                line: 6,
                column: 12
            }
        );
        assert_eq!(
            locate(QUEST, &[Step::Field("nowhere")]),
            Position { line: 2, column: 1 }
        );
    }
}
