//! A sector world: the map of its places with the people who work there, the pupil's
//! character walking it (arrow keys or WASD, or a click or tap where to go), a person's
//! story when the pupil walks up to them, and their quests, task by task, marked by the
//! server. While the teacher has everyone's eyes, the world waits.

mod celebrate;
mod map;
mod quest;

use bevy::prelude::*;
use bevy_egui::EguiPrimaryContextPass;
use bevy_egui::egui::{Pos2, Vec2, pos2};
use workworlds_content::ids::{QuestId, RoleId};
use workworlds_content::marking::{Answer, Mark};
use workworlds_content::{Content, Role};
use workworlds_protocol::events::{Earned, Reply, ServerEvent, SessionView};
use workworlds_protocol::requests::{Activity, PupilRequest};

use crate::library::Library;
use crate::net::{Net, NetCommand, NetEvent};
use crate::screen::Screen;

pub use celebrate::{BAG_BUTTON, Celebration};
pub use quest::TaskDraft;

/// How fast the pupil's character walks, in tiles a second.
pub const WALK_TILES_PER_SECOND: f32 = 5.0;

/// How close the character must be to someone to talk to them, in tiles.
pub const TALK_TILES: f32 = 1.6;

/// Adds the world's state, its messages, the walking and the screen.
pub struct WorldPlugin;

impl Plugin for WorldPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(celebrate::CelebratePlugin)
            .init_resource::<Exploring>()
            .init_resource::<TaskDraft>()
            .add_message::<WalkTo>()
            .add_message::<TalkTo>()
            .add_message::<StartQuest>()
            .add_message::<SubmitAnswer>()
            .add_message::<NextTask>()
            .add_message::<CloseStory>()
            .add_message::<RaiseHand>()
            .add_systems(
                Update,
                (
                    follow_class,
                    walk_with_keys,
                    walk_to,
                    walk,
                    talk_with_keys,
                    talk_to,
                    start_quest,
                    submit_answer,
                    take_mark,
                    next_task,
                    close_story,
                    raise_hand,
                )
                    .chain(),
            )
            .add_systems(
                EguiPrimaryContextPass,
                map::draw_world.run_if(in_state(Screen::Class).and_then(is_in_a_world)),
            );
    }
}

/// Where the pupil is in the world and what they are doing.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct Exploring {
    /// The class session as the server last showed it, and when it came on the game's
    /// clock.
    pub view: Option<SessionView>,
    pub view_at: std::time::Duration,
    /// The character's position, in tiles from the map's top-left corner.
    pub position: Pos2,
    /// Where the character is walking to, after a click or tap.
    pub target: Option<Pos2>,
    /// The person whose story is open.
    pub talking_to: Option<RoleId>,
    /// The quest being done, and which of its tasks is shown.
    pub quest: Option<QuestProgress>,
    /// The pupil's hand is up.
    pub hand_up: bool,
    /// Set once the character has been put at the world's start.
    pub placed: bool,
    /// What the server refused last, in its words.
    pub problem: Option<String>,
}

/// A quest under way.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestProgress {
    pub quest: QuestId,
    pub task: usize,
    /// The mark of the task shown, once the server has given it.
    pub mark: Option<Mark>,
    /// What finishing the quest earned, to celebrate.
    pub earned: Vec<Earned>,
    /// An answer is with the server.
    pub waiting: bool,
}

/// Walk to a spot on the map, in tiles.
#[derive(Message, Debug, Clone, Copy, PartialEq)]
pub struct WalkTo(pub Pos2);

/// Open a person's story (walking up to them first if they are far).
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct TalkTo(pub RoleId);

#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct StartQuest(pub QuestId);

/// Send the task's answer to be marked.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct SubmitAnswer(pub Answer);

/// On to the quest's next task, or back to the world after the last.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextTask;

#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseStory;

#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct RaiseHand(pub bool);

/// Whether the pupil's class is exploring a sector world.
pub fn is_in_a_world(world: Res<Exploring>) -> bool {
    world
        .view
        .as_ref()
        .is_some_and(|view| matches!(view.activity, Activity::World(_)))
}

/// Where a person stands: the middle of their place, spread out when several share it.
pub fn standing_spot(content: &Content, role: &Role) -> Option<Pos2> {
    let sector = content.sectors.get(&role.sector)?;
    let place = sector
        .map
        .places
        .iter()
        .find(|place| place.id == role.place)?;
    let sharing: Vec<&RoleId> = sector
        .roles
        .iter()
        .filter(|id| {
            content
                .roles
                .get(*id)
                .is_some_and(|other| other.place == role.place)
        })
        .collect();
    let index = sharing.iter().position(|id| **id == role.id).unwrap_or(0);
    let step = place.width as f32 / (sharing.len() as f32 + 1.0);
    Some(pos2(
        place.at.x as f32 + step * (index as f32 + 1.0),
        place.at.y as f32 + place.height as f32 * 0.65,
    ))
}

fn follow_class(
    mut heard: MessageReader<NetEvent>,
    library: Res<Library>,
    time: Res<Time<Real>>,
    mut world: ResMut<Exploring>,
) {
    for event in heard.read() {
        match event {
            NetEvent::Server(ServerEvent::Session(view)) => {
                world.view = Some(view.clone());
                world.view_at = time.elapsed();
                if !world.placed
                    && let (Activity::World(sector), Ok(content)) =
                        (&view.activity, &library.content)
                    && let Some(sector) = content.sectors.get(sector)
                {
                    let spawn = sector.map.spawn;
                    world.position = pos2(spawn.x as f32 + 0.5, spawn.y as f32 + 0.5);
                    world.placed = true;
                }
            }
            NetEvent::Connected(_) | NetEvent::Lost(_) => *world = Exploring::default(),
            _ => {}
        }
    }
}

fn eyes_on_teacher(world: &Exploring) -> bool {
    world.view.as_ref().is_some_and(|view| view.eyes_on_me)
}

/// Arrow keys and WASD walk the character, a step at a time as long as a key is held.
fn walk_with_keys(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    time: Res<Time>,
    screen: Res<State<Screen>>,
    mut world: ResMut<Exploring>,
) {
    let Some(keys) = keys else { return };
    if *screen.get() != Screen::Class || world.quest.is_some() || eyes_on_teacher(&world) {
        return;
    }
    let mut direction = Vec2::ZERO;
    for (codes, step) in [
        ([KeyCode::ArrowLeft, KeyCode::KeyA], Vec2::new(-1.0, 0.0)),
        ([KeyCode::ArrowRight, KeyCode::KeyD], Vec2::new(1.0, 0.0)),
        ([KeyCode::ArrowUp, KeyCode::KeyW], Vec2::new(0.0, -1.0)),
        ([KeyCode::ArrowDown, KeyCode::KeyS], Vec2::new(0.0, 1.0)),
    ] {
        if keys.any_pressed(codes) {
            direction += step;
        }
    }
    if direction != Vec2::ZERO {
        world.target = None;
        let step = direction.normalized() * WALK_TILES_PER_SECOND * time.delta_secs();
        world.position += step;
    }
}

/// Enter (or E) talks to whoever the character stands next to, and Escape closes their
/// story, so the whole world can be played from the keyboard.
fn talk_with_keys(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    library: Res<Library>,
    screen: Res<State<Screen>>,
    mut world: ResMut<Exploring>,
) {
    let Some(keys) = keys else { return };
    let Ok(content) = &library.content else {
        return;
    };
    if *screen.get() != Screen::Class || world.quest.is_some() || eyes_on_teacher(&world) {
        return;
    }
    if keys.just_pressed(KeyCode::Escape) {
        world.talking_to = None;
    }
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::KeyE])
        && let Some(role) = nearest_person(content, &world)
    {
        world.talking_to = Some(role.id.clone());
    }
}

/// The person the character is close enough to talk to, the nearest if several.
pub fn nearest_person<'a>(content: &'a Content, world: &Exploring) -> Option<&'a Role> {
    let Some(Activity::World(sector)) = world.view.as_ref().map(|view| &view.activity) else {
        return None;
    };
    content
        .sectors
        .get(sector)?
        .roles
        .iter()
        .filter_map(|id| content.roles.get(id))
        .filter_map(|role| {
            let distance = standing_spot(content, role)?.distance(world.position);
            (distance <= TALK_TILES).then_some((role, distance))
        })
        .min_by(|(_, a), (_, b)| a.total_cmp(b))
        .map(|(role, _)| role)
}

fn walk_to(mut requests: MessageReader<WalkTo>, mut world: ResMut<Exploring>) {
    for WalkTo(spot) in requests.read() {
        if !eyes_on_teacher(&world) {
            world.target = Some(*spot);
        }
    }
}

/// Moves the character towards where it was sent, keeps it on the map, and opens the
/// story of a person it has been sent to once it reaches them.
fn walk(time: Res<Time>, library: Res<Library>, mut world: ResMut<Exploring>) {
    let Ok(content) = &library.content else {
        return;
    };
    let Some(Activity::World(sector)) = world.view.as_ref().map(|view| view.activity.clone())
    else {
        return;
    };
    let Some(sector) = content.sectors.get(&sector) else {
        return;
    };
    if let Some(target) = world.target {
        let to_go = target - world.position;
        let step = WALK_TILES_PER_SECOND * time.delta_secs();
        if to_go.length() <= step {
            world.position = target;
            world.target = None;
        } else {
            world.position += to_go.normalized() * step;
        }
    }
    let (width, height) = (sector.map.width as f32, sector.map.height as f32);
    world.position = pos2(
        world.position.x.clamp(0.3, width - 0.3),
        world.position.y.clamp(0.3, height - 0.3),
    );
}

/// Opens a person's story when the character is close enough; otherwise walks there
/// first.
fn talk_to(
    mut requests: MessageReader<TalkTo>,
    library: Res<Library>,
    mut world: ResMut<Exploring>,
) {
    let Ok(content) = &library.content else {
        return;
    };
    for TalkTo(role) in requests.read() {
        let Some(spot) = content
            .roles
            .get(role)
            .and_then(|found| standing_spot(content, found))
        else {
            continue;
        };
        if world.position.distance(spot) > TALK_TILES {
            // Stop just in front of them.
            world.target = Some(spot + Vec2::new(0.0, 0.9));
        }
        world.talking_to = Some(role.clone());
    }
}

fn close_story(mut requests: MessageReader<CloseStory>, mut world: ResMut<Exploring>) {
    for CloseStory in requests.read() {
        world.talking_to = None;
        world.quest = None;
    }
}

fn start_quest(
    mut requests: MessageReader<StartQuest>,
    library: Res<Library>,
    mut world: ResMut<Exploring>,
    mut draft: ResMut<TaskDraft>,
) {
    let Ok(content) = &library.content else {
        return;
    };
    for StartQuest(quest) in requests.read() {
        let Some(found) = content.quests.get(quest) else {
            continue;
        };
        world.quest = Some(QuestProgress {
            quest: quest.clone(),
            task: 0,
            mark: None,
            earned: Vec::new(),
            waiting: false,
        });
        *draft = TaskDraft::for_task(&found.tasks[0]);
        world.problem = None;
    }
}

fn submit_answer(
    mut requests: MessageReader<SubmitAnswer>,
    net: Option<Res<Net>>,
    mut world: ResMut<Exploring>,
) {
    for SubmitAnswer(answer) in requests.read() {
        let Some(progress) = &mut world.quest else {
            continue;
        };
        if progress.waiting || progress.mark.is_some() {
            continue;
        }
        let Ok(task) = u8::try_from(progress.task) else {
            continue;
        };
        if let Some(net) = &net {
            net.send(NetCommand::Pupil(PupilRequest::SubmitAnswer {
                quest: progress.quest.clone(),
                task,
                answer: answer.clone(),
            }));
        }
        progress.waiting = true;
    }
}

/// Takes the server's mark for the task shown, or its refusal.
fn take_mark(mut heard: MessageReader<NetEvent>, mut world: ResMut<Exploring>) {
    for event in heard.read() {
        let waiting = world
            .quest
            .as_ref()
            .is_some_and(|progress| progress.waiting);
        if !waiting {
            continue;
        }
        match event {
            NetEvent::Replied(Ok(Reply::Marked { mark, earned })) => {
                if let Some(progress) = &mut world.quest {
                    progress.mark = Some(*mark);
                    progress.earned.extend(earned.iter().cloned());
                    progress.waiting = false;
                }
            }
            NetEvent::Replied(Err(why)) => {
                world.problem = Some(why.clone());
                if let Some(progress) = &mut world.quest {
                    progress.waiting = false;
                }
            }
            _ => {}
        }
    }
}

fn next_task(
    mut requests: MessageReader<NextTask>,
    library: Res<Library>,
    time: Res<Time<Real>>,
    mut world: ResMut<Exploring>,
    mut draft: ResMut<TaskDraft>,
    mut celebration: ResMut<Celebration>,
) {
    let Ok(content) = &library.content else {
        return;
    };
    for NextTask in requests.read() {
        let Some(progress) = &mut world.quest else {
            continue;
        };
        let Some(quest) = content.quests.get(&progress.quest) else {
            continue;
        };
        if progress.task + 1 < quest.tasks.len() {
            progress.task += 1;
            progress.mark = None;
            *draft = TaskDraft::for_task(&quest.tasks[progress.task]);
        } else {
            // What the quest earned flies into the pupil's bag.
            celebration.start(&progress.earned, time.elapsed());
            world.quest = None;
        }
    }
}

fn raise_hand(
    mut requests: MessageReader<RaiseHand>,
    net: Option<Res<Net>>,
    mut world: ResMut<Exploring>,
) {
    for RaiseHand(up) in requests.read() {
        if let Some(net) = &net {
            net.send(NetCommand::Pupil(PupilRequest::HandUp { up: *up }));
        }
        world.hand_up = *up;
    }
}

#[cfg(test)]
mod tests;
