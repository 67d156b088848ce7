//! The teacher's record of a session: the row of the school's CWRE planning and
//! recording sheet the server makes for it, shown as a table and saved as CSV for the
//! school's spreadsheet; and the button that ends the session for good.

mod panel;

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::EguiPrimaryContextPass;
use workworlds_content::Lang;
use workworlds_protocol::events::{Reply, ServerEvent};
use workworlds_protocol::ids::JoinCode;
use workworlds_protocol::requests::TeacherRequest;

use crate::desk::Desk;
use crate::net::{Net, NetCommand, NetEvent};
use crate::screen::Screen;
use crate::settings::Settings;

/// Adds the record's state, its messages and its screen.
pub struct RecordPlugin;

impl Plugin for RecordPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<RecordState>()
            .add_message::<SaveRecord>()
            .add_message::<EndSession>()
            .add_message::<OpenRecord>()
            .add_message::<CloseRecord>()
            .add_systems(
                Update,
                (
                    open_record,
                    close_record,
                    apply_record,
                    save_record,
                    end_session,
                    follow_language,
                ),
            )
            .add_systems(
                EguiPrimaryContextPass,
                panel::draw_record.run_if(in_state(Screen::Record)),
            );
    }
}

/// What the record screen shows.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct RecordState {
    pub session: Option<JoinCode>,
    /// The record as the server wrote it.
    pub csv: Option<String>,
    /// The same, read into a header and rows, for the table.
    pub table: Vec<Vec<String>>,
    /// Where the CSV was last saved.
    pub saved: Option<PathBuf>,
    /// What went wrong last, in words.
    pub problem: Option<String>,
    /// Whether the session has ended, as the server last said.
    pub ended: bool,
    /// The folder records are saved in; see [`records_folder`].
    pub folder: Option<PathBuf>,
}

/// Save the record as a CSV file.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveRecord;

/// Show the record of the desk's session.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenRecord;

/// Back to the desk.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseRecord;

/// End the session for good, then fetch its final record.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndSession;

/// Shows the record of the desk's session, asking the server for it.
fn open_record(
    mut requests: MessageReader<OpenRecord>,
    desk: Res<Desk>,
    settings: Res<Settings>,
    net: Option<Res<Net>>,
    mut state: ResMut<RecordState>,
    mut screen: ResMut<NextState<Screen>>,
) {
    for OpenRecord in requests.read() {
        let (Some(net), Some(code)) = (&net, &desk.session) else {
            continue;
        };
        net.send(NetCommand::Teacher(TeacherRequest::SessionRecord {
            lang: settings.lang,
        }));
        *state = RecordState {
            session: Some(code.clone()),
            ended: desk.view.as_ref().is_some_and(|view| view.ended),
            folder: state.folder.take(),
            ..RecordState::default()
        };
        screen.set(Screen::Record);
    }
}

fn close_record(mut requests: MessageReader<CloseRecord>, mut screen: ResMut<NextState<Screen>>) {
    for CloseRecord in requests.read() {
        screen.set(Screen::Desk);
    }
}

fn apply_record(mut heard: MessageReader<NetEvent>, mut state: ResMut<RecordState>) {
    for event in heard.read() {
        match event {
            NetEvent::Replied(Ok(Reply::SessionRecord { csv })) => {
                state.table = read_table(csv);
                state.csv = Some(csv.clone());
                state.problem = None;
            }
            NetEvent::Replied(Err(why)) if state.session.is_some() => {
                state.problem = Some(why.clone());
            }
            NetEvent::Server(ServerEvent::Session(view))
                if Some(&view.code) == state.session.as_ref() =>
            {
                state.ended = view.ended;
            }
            _ => {}
        }
    }
}

fn end_session(
    mut requests: MessageReader<EndSession>,
    settings: Res<Settings>,
    net: Option<Res<Net>>,
) {
    for EndSession in requests.read() {
        let Some(net) = &net else { continue };
        net.send(NetCommand::Teacher(TeacherRequest::EndSession));
        net.send(NetCommand::Teacher(TeacherRequest::SessionRecord {
            lang: settings.lang,
        }));
    }
}

/// Asks for the record again in the new language when the teacher switches; other
/// settings, such as the text size, change nothing in it.
fn follow_language(
    settings: Res<Settings>,
    state: Res<RecordState>,
    net: Option<Res<Net>>,
    screen: Res<State<Screen>>,
    mut last: Local<Option<Lang>>,
) {
    let before = last.replace(settings.lang);
    if before.is_none_or(|before| before == settings.lang) || *screen.get() != Screen::Record {
        return;
    }
    if let (Some(net), Some(_)) = (&net, &state.session) {
        net.send(NetCommand::Teacher(TeacherRequest::SessionRecord {
            lang: settings.lang,
        }));
    }
}

fn save_record(mut requests: MessageReader<SaveRecord>, mut state: ResMut<RecordState>) {
    for SaveRecord in requests.read() {
        let (Some(csv), Some(code)) = (&state.csv, &state.session) else {
            continue;
        };
        let folder = state.folder.clone().unwrap_or_else(records_folder);
        let path = folder.join(format!("workworlds-{code}.csv"));
        match std::fs::write(&path, csv) {
            Ok(()) => {
                state.saved = Some(path);
                state.problem = None;
            }
            Err(error) => state.problem = Some(format!("cannot save {}: {error}", path.display())),
        }
    }
}

/// Where records are saved: the Documents folder in the user's home if there is one,
/// else the folder the game started in.
pub fn records_folder() -> PathBuf {
    std::env::var_os("HOME")
        .map(|home| Path::new(&home).join("Documents"))
        .filter(|documents| documents.is_dir())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The CSV as rows of cells, header first; the byte-order mark spreadsheets need is
/// not a cell's text.
pub fn read_table(csv: &str) -> Vec<Vec<String>> {
    let text = csv.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .filter_map(Result::ok)
        .map(|row| row.iter().map(String::from).collect())
        .collect()
}

#[cfg(test)]
mod tests;
