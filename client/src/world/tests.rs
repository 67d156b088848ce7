use std::time::Duration;

use bevy::time::TimeUpdateStrategy;
use workworlds_content::ids::SectorId;
use workworlds_protocol::events::{RoundState, RoundView};
use workworlds_protocol::hello::Identity;
use workworlds_protocol::ids::{JoinCode, PupilId, ResumeToken, TeamId};

use super::*;
use crate::testing::{Headless, shipped_content};

/// A pupil in a session of the energy world, with the clock moving 100 ms a frame.
fn in_the_energy_world() -> Headless {
    let mut game = Headless::new();
    game.app
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
            100,
        )));
    game.hear(NetEvent::Connected(Identity::Pupil {
        pupil: PupilId(1),
        name: "Ffion".into(),
        session: JoinCode::parse("K7QM3X").unwrap(),
        team: TeamId(0),
        token: ResumeToken([3; 16]),
    }));
    game.hear(NetEvent::Server(ServerEvent::Session(view(false))));
    game
}

fn view(eyes_on_me: bool) -> SessionView {
    SessionView {
        code: JoinCode::parse("K7QM3X").unwrap(),
        activity: Activity::World(SectorId::new("energy")),
        round: RoundView {
            number: 1,
            state: RoundState::Running,
            remaining_ms: 600_000,
        },
        eyes_on_me,
        lobby_locked: false,
        ended: false,
        teams: Vec::new(),
    }
}

fn exploring(game: &Headless) -> &Exploring {
    game.resource::<Exploring>()
}

#[test]
fn the_pupil_starts_at_the_worlds_spawn_and_walks_where_sent() {
    let mut game = in_the_energy_world();
    let spawn = shipped_content().sectors[&SectorId::new("energy")]
        .map
        .spawn;
    let start = pos2(spawn.x as f32 + 0.5, spawn.y as f32 + 0.5);
    assert!(exploring(&game).placed);
    assert!(exploring(&game).position.distance(start) < 0.6);

    let goal = start + Vec2::new(2.0, 0.0);
    game.send(WalkTo(goal));
    // Two tiles at five tiles a second, a tenth of a second a frame: about four frames.
    for _ in 0..10 {
        game.app.update();
    }
    assert!(exploring(&game).position.distance(goal) < 0.01);
    assert_eq!(exploring(&game).target, None);
}

#[test]
fn while_the_teacher_has_everyones_eyes_nobody_walks() {
    let mut game = in_the_energy_world();
    game.hear(NetEvent::Server(ServerEvent::Session(view(true))));
    let before = exploring(&game).position;
    game.send(WalkTo(before + Vec2::new(3.0, 0.0)));
    for _ in 0..10 {
        game.app.update();
    }
    assert_eq!(exploring(&game).position, before);
}

#[test]
fn a_quest_sends_each_answer_and_moves_on_once_the_server_has_marked_it() {
    let mut game = in_the_energy_world();
    let content = shipped_content();
    let quest = content
        .quests
        .values()
        .find(|quest| quest.sector.as_str() == "energy" && quest.tasks.len() >= 2)
        .unwrap();
    game.send(TalkTo(quest.giver.clone()));
    game.send(StartQuest(quest.id.clone()));
    game.sent();
    assert_eq!(exploring(&game).quest.as_ref().unwrap().task, 0);

    let answer = quest.tasks[0].model_answer();
    game.send(SubmitAnswer(answer.clone()));
    let sent = game.sent();
    assert!(
        matches!(
            sent.as_slice(),
            [NetCommand::Pupil(PupilRequest::SubmitAnswer { task: 0, answer: sent_answer, .. })]
                if *sent_answer == answer
        ),
        "{sent:?}"
    );
    // A second press before the mark comes sends nothing more.
    game.send(SubmitAnswer(answer));
    assert!(game.sent().is_empty());

    let mark = Mark {
        points: 1,
        out_of: 1,
    };
    game.hear(NetEvent::Replied(Ok(Reply::Marked {
        mark,
        earned: Vec::new(),
    })));
    assert_eq!(exploring(&game).quest.as_ref().unwrap().mark, Some(mark));

    game.send(NextTask);
    let progress = exploring(&game).quest.clone().unwrap();
    assert_eq!((progress.task, progress.mark), (1, None));
    assert_eq!(
        *game.resource::<TaskDraft>(),
        TaskDraft::for_task(&quest.tasks[1])
    );
}

#[test]
fn finishing_a_quest_sends_what_it_earned_flying_to_the_bag() {
    let mut game = in_the_energy_world();
    let content = shipped_content();
    let quest = content
        .quests
        .values()
        .find(|quest| quest.sector.as_str() == "energy" && quest.rewards.stamp)
        .unwrap();
    let earned = vec![
        Earned::Stamp(SectorId::new("energy")),
        Earned::JobCard(quest.giver.clone()),
    ];
    game.send(TalkTo(quest.giver.clone()));
    game.send(StartQuest(quest.id.clone()));
    for (index, task) in quest.tasks.iter().enumerate() {
        game.send(SubmitAnswer(task.model_answer()));
        let last = index + 1 == quest.tasks.len();
        game.hear(NetEvent::Replied(Ok(Reply::Marked {
            mark: Mark {
                points: 1,
                out_of: 1,
            },
            earned: if last { earned.clone() } else { Vec::new() },
        })));
        // Nothing flies until the quest is finished.
        assert!(game.resource::<Celebration>().cards.is_empty());
        game.send(NextTask);
    }
    assert_eq!(exploring(&game).quest, None);
    let celebration = game.resource::<Celebration>().clone();
    assert_eq!(celebration.cards, earned);
    let now = game.resource::<Time<Real>>().elapsed();
    assert!(celebration.showing(now, false));
    assert!(!celebration.showing(now + Duration::from_secs(10), false));
}

#[test]
fn enter_talks_to_the_person_next_to_the_pupil_and_escape_walks_away() {
    let mut game = in_the_energy_world();
    game.app.insert_resource(ButtonInput::<KeyCode>::default());
    let content = shipped_content();
    let role = content.sectors[&SectorId::new("energy")]
        .roles
        .iter()
        .map(|id| &content.roles[id])
        .next()
        .unwrap();
    let spot = standing_spot(content, role).unwrap();

    // Far from everyone, Enter does nothing.
    game.app.world_mut().resource_mut::<Exploring>().position = pos2(-50.0, -50.0);
    press(&mut game, KeyCode::Enter);
    assert_eq!(exploring(&game).talking_to, None);

    game.app.world_mut().resource_mut::<Exploring>().position = spot + Vec2::new(0.0, 0.9);
    press(&mut game, KeyCode::Enter);
    assert_eq!(exploring(&game).talking_to.as_ref(), Some(&role.id));
    press(&mut game, KeyCode::Escape);
    assert_eq!(exploring(&game).talking_to, None);
}

/// Presses and lets go of a key over two frames, as a keyboard would.
fn press(game: &mut Headless, key: KeyCode) {
    game.app
        .world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(key);
    game.app.update();
    let mut keys = game.app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    keys.release(key);
    keys.clear();
    game.app.update();
}
