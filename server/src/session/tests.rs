use workworlds_content::challenge::TeamRole;
use workworlds_content::ids::{ChallengeId, QuestId, SectorId};
use workworlds_protocol::events::{Earned, RoundState, ServerEvent};

use super::*;

fn content() -> &'static Content {
    crate::testing::shipped_content()
}

fn setup(teams: u8) -> SessionSetup {
    SessionSetup {
        code: JoinCode::parse("ABCDEF").unwrap(),
        teacher: "Ms Jones".into(),
        activity: Activity::World(SectorId::new("energy")),
        teams,
        round_seconds: 300,
        typed_names: false,
    }
}

fn session_with(teams: u8, pupils: u64) -> ClassSession {
    let mut session = ClassSession::new(setup(teams), content()).unwrap();
    for pupil in 0..pupils {
        session
            .join(
                PupilId(pupil),
                format!("Pupil {pupil}"),
                ResumeToken([pupil as u8; 16]),
            )
            .unwrap();
    }
    session
}

fn team_sizes(session: &ClassSession, teams: u8) -> Vec<usize> {
    (0..teams)
        .map(|team| {
            session
                .members()
                .values()
                .filter(|m| m.team == TeamId(team))
                .count()
        })
        .collect()
}

#[test]
fn thirty_pupils_fill_four_teams_evenly() {
    let session = session_with(4, 30);
    assert_eq!(team_sizes(&session, 4), [8, 8, 7, 7]);
}

#[test]
fn late_join_lands_in_smallest_team() {
    let mut session = session_with(3, 6);
    session.move_pupil(PupilId(2), TeamId(0)).unwrap();
    session.move_pupil(PupilId(5), TeamId(0)).unwrap();
    assert_eq!(team_sizes(&session, 3), [4, 2, 0]);

    let team = session
        .join(PupilId(99), "Late".into(), ResumeToken([99; 16]))
        .unwrap();
    assert_eq!(team, TeamId(2));
}

#[test]
fn a_round_runs_pauses_resumes_extends_and_ends_on_time() {
    let mut session = session_with(2, 2);
    session.start_round(1_000).unwrap();
    assert_eq!(session.view(61_000).round.remaining_ms, 240_000);

    session.pause_round(61_000).unwrap();
    assert_eq!(
        session.view(500_000).round.remaining_ms,
        240_000,
        "a paused round keeps its time"
    );
    assert!(matches!(
        session.pause_round(61_000),
        Err(Refusal::NotNow { .. })
    ));

    session.resume_round(500_000).unwrap();
    session.extend_round(30).unwrap();
    assert_eq!(session.view(500_000).round.remaining_ms, 270_000);

    assert!(!session.tick(769_999));
    assert!(session.tick(770_000));
    let view = session.view(770_000);
    assert_eq!(
        (view.round.number, view.round.state, view.round.remaining_ms),
        (1, RoundState::Ended, 0)
    );

    session.start_round(800_000).unwrap();
    assert_eq!(session.view(800_000).round.number, 2);
}

#[test]
fn refused_round_moves_leave_the_round_as_it_was() {
    let mut session = session_with(2, 0);
    assert!(matches!(session.end_round(), Err(Refusal::NotNow { .. })));
    assert!(matches!(
        session.resume_round(0),
        Err(Refusal::NotNow { .. })
    ));
    assert!(matches!(
        session.extend_round(0),
        Err(Refusal::Invalid { .. })
    ));
    assert_eq!(session.round(), &Round::NotStarted);
    session.start_round(0).unwrap();
    assert!(matches!(
        session.start_round(5),
        Err(Refusal::NotNow { .. })
    ));
}

#[test]
fn a_running_round_comes_back_paused_after_a_restart() {
    let mut session = session_with(2, 0);
    let before = Round::Running {
        number: 3,
        ends_at_ms: 100_000,
    };
    session.pause_after_restart(before, 40_000);
    assert_eq!(
        session.round(),
        &Round::Paused {
            number: 3,
            remaining_ms: 60_000
        }
    );
}

#[test]
fn answers_are_marked_and_counted_on_the_dashboard() {
    let mut session = session_with(2, 1);
    let quest = QuestId::new("turbine-safety-check");
    let right = Answer::ChooseSeveral(vec!["helmet".into(), "harness".into()]);
    let wrong = Answer::Order(vec![
        "climb".into(),
        "weather".into(),
        "kit".into(),
        "fix".into(),
    ]);

    assert!(
        session
            .answer(content(), PupilId(0), &quest, 0, &right)
            .unwrap()
            .0
            .is_right()
    );
    assert!(
        !session
            .answer(content(), PupilId(0), &quest, 1, &wrong)
            .unwrap()
            .0
            .is_right()
    );

    let status = &session.dashboard().pupils[0];
    assert_eq!((status.answered, status.right), (2, 1));
    assert_eq!(status.current_quest, Some(quest));
}

#[test]
fn finishing_a_quest_earns_its_stamp_and_job_card_once() {
    let mut session = session_with(2, 1);
    let quest = QuestId::new("turbine-safety-check");
    let first = Answer::ChooseSeveral(vec!["helmet".into()]);
    let order = Answer::Order(vec![
        "weather".into(),
        "kit".into(),
        "climb".into(),
        "fix".into(),
    ]);
    let reflection = Answer::Reflect("Safety matters".into());

    assert_eq!(
        session
            .answer(content(), PupilId(0), &quest, 0, &first)
            .unwrap()
            .1,
        []
    );
    assert_eq!(
        session
            .answer(content(), PupilId(0), &quest, 0, &first)
            .unwrap()
            .1,
        [],
        "a task twice is one task"
    );
    assert_eq!(
        session
            .answer(content(), PupilId(0), &quest, 1, &order)
            .unwrap()
            .1,
        []
    );
    let earned = session
        .answer(content(), PupilId(0), &quest, 2, &reflection)
        .unwrap()
        .1;
    assert_eq!(
        earned,
        [
            Earned::Stamp(SectorId::new("energy")),
            Earned::JobCard(workworlds_content::ids::RoleId::new(
                "wind-turbine-technician"
            ))
        ]
    );
    assert_eq!(
        session
            .answer(content(), PupilId(0), &quest, 2, &reflection)
            .unwrap()
            .1,
        [],
        "earned once"
    );
}

#[test]
fn replayed_answers_restore_counts_and_rewards_without_earning_again() {
    let mut session = session_with(2, 1);
    let quest = QuestId::new("turbine-safety-check");
    for task in 0..3 {
        session.replay(
            content(),
            PupilId(0),
            &quest,
            task,
            Mark {
                points: 1,
                out_of: 1,
            },
        );
    }
    session.replay(
        content(),
        PupilId(0),
        &QuestId::new("no-longer-there"),
        0,
        Mark {
            points: 0,
            out_of: 1,
        },
    );
    let member = &session.members()[&PupilId(0)];
    assert_eq!(
        (member.answered, member.right, member.earned.len()),
        (3, 3, 2)
    );
    let again = session
        .answer(
            content(),
            PupilId(0),
            &quest,
            2,
            &Answer::Reflect("again".into()),
        )
        .unwrap()
        .1;
    assert_eq!(again, []);
}

#[test]
fn answers_wait_while_the_teacher_has_everyones_eyes() {
    let mut session = session_with(2, 1);
    session.set_eyes_on_me(true);
    let answer = Answer::Reflect("It was fun".into());
    let quest = QuestId::new("turbine-safety-check");
    assert!(matches!(
        session.answer(content(), PupilId(0), &quest, 2, &answer),
        Err(Refusal::NotNow { .. })
    ));
    assert!(session.view(0).eyes_on_me);

    session.set_eyes_on_me(false);
    assert!(
        session
            .answer(content(), PupilId(0), &quest, 2, &answer)
            .is_ok()
    );
}

#[test]
fn quests_outside_the_world_and_missing_tasks_are_refused() {
    let mut session = session_with(2, 1);
    let answer = Answer::Reflect("hello".into());
    let elsewhere = QuestId::new("ward-nurse-helper");
    assert!(matches!(
        session.answer(content(), PupilId(0), &elsewhere, 0, &answer),
        Err(Refusal::Invalid { .. })
    ));
    let quest = QuestId::new("turbine-safety-check");
    assert!(matches!(
        session.answer(content(), PupilId(0), &quest, 9, &answer),
        Err(Refusal::Invalid { .. })
    ));
    assert_eq!(session.dashboard().pupils[0].answered, 0);
}

#[test]
fn a_locked_lobby_turns_new_pupils_away() {
    let mut session = session_with(2, 1);
    session.lock_lobby(true);
    assert_eq!(
        session.join(PupilId(7), "Late".into(), ResumeToken([7; 16])),
        Err(Refusal::LobbyLocked)
    );
    session.lock_lobby(false);
    assert!(
        session
            .join(PupilId(7), "Late".into(), ResumeToken([7; 16]))
            .is_ok()
    );
}

#[test]
fn sessions_outside_the_limits_are_refused() {
    let bad_teams = SessionSetup {
        teams: 0,
        ..setup(1)
    };
    assert!(matches!(
        ClassSession::new(bad_teams, content()),
        Err(Refusal::Invalid { .. })
    ));
    let bad_round = SessionSetup {
        round_seconds: 5,
        ..setup(2)
    };
    assert!(matches!(
        ClassSession::new(bad_round, content()),
        Err(Refusal::Invalid { .. })
    ));
    let nowhere = SessionSetup {
        activity: Activity::World(SectorId::new("atlantis")),
        ..setup(2)
    };
    assert!(matches!(
        ClassSession::new(nowhere, content()),
        Err(Refusal::Invalid { .. })
    ));
    let challenge = SessionSetup {
        activity: Activity::Challenge(ChallengeId::new("no-such-challenge")),
        ..setup(2)
    };
    assert!(matches!(
        ClassSession::new(challenge, content()),
        Err(Refusal::Invalid { .. })
    ));
}

#[test]
fn a_full_class_turns_the_next_pupil_away() {
    let mut session = session_with(4, MAX_PUPILS as u64);
    let refused = session.join(PupilId(1000), "One too many".into(), ResumeToken([0; 16]));
    assert!(matches!(refused, Err(Refusal::NotNow { .. })));
}

fn cafe_with(teams: u8, pupils: u64) -> ClassSession {
    let cafe = SessionSetup {
        activity: Activity::Challenge(ChallengeId::new("seaside-cafe")),
        ..setup(teams)
    };
    let mut session = ClassSession::new(cafe, content()).unwrap();
    for pupil in 0..pupils {
        let token = ResumeToken([pupil as u8; 16]);
        session
            .join(PupilId(pupil), format!("Pupil {pupil}"), token)
            .unwrap();
    }
    session
}

#[test]
fn the_job_roles_are_dealt_round_each_team_so_every_role_is_someones() {
    // Two teams of three and the café's four roles: the first pupil of each team also
    // holds the fourth role.
    let session = cafe_with(2, 6);
    let mut held = BTreeMap::new();
    for pupil in 0..6 {
        let (team, roles) = session.challenge_roles(PupilId(pupil)).unwrap();
        held.entry(team).or_insert_with(Vec::new).extend(roles);
    }
    for roles in held.values_mut() {
        roles.sort();
        assert_eq!(roles.len(), 4, "{held:?}");
        roles.dedup();
        assert_eq!(roles.len(), 4, "each role once in each team: {held:?}");
    }
}

#[test]
fn a_pupil_sets_only_their_roles_decisions_and_only_within_range() {
    let mut session = cafe_with(1, 4);
    let owner_of = |session: &ClassSession, role: TeamRole| {
        (0..4)
            .map(PupilId)
            .find(|&pupil| session.challenge_roles(pupil).unwrap().1.contains(&role))
            .unwrap()
    };
    let finance = owner_of(&session, TeamRole::Finance);
    let people = owner_of(&session, TeamRole::People);

    assert!(matches!(
        session.set_decision(people, "price", 6.0),
        Err(Refusal::NotNow { .. })
    ));
    assert!(matches!(
        session.set_decision(finance, "price", 1000.0),
        Err(Refusal::Invalid { .. })
    ));
    assert!(matches!(
        session.set_decision(finance, "price", f64::NAN),
        Err(Refusal::Invalid { .. })
    ));
    assert!(matches!(
        session.set_decision(finance, "no-such-decision", 1.0),
        Err(Refusal::Invalid { .. })
    ));
    let untouched = session.challenge_view(Some(finance)).unwrap();
    assert!(untouched.plan.unwrap().decisions.values.is_empty());

    session.set_decision(finance, "price", 6.0).unwrap();
    let plan = session.challenge_view(Some(finance)).unwrap().plan.unwrap();
    assert_eq!(plan.decisions.values.get("price"), Some(&6.0));
    assert!(
        session.challenge_view(None).unwrap().plan.is_none(),
        "a teacher has no team"
    );
}

#[test]
fn each_round_that_ends_plays_every_team_until_the_challenge_is_over() {
    let mut session = cafe_with(3, 3);
    let rounds = content().challenges["seaside-cafe"].rounds;
    for round in 1..=rounds {
        session.start_round(0).unwrap();
        if round == 1 {
            assert!(session.challenge_view(None).unwrap().results[0].is_empty());
        }
        session.end_round().unwrap();
        let view = session.challenge_view(None).unwrap();
        assert_eq!(view.rounds_played, round);
        assert!(view.results.iter().all(|team| team.len() == round as usize));
        assert_eq!(view.leaderboard.is_some(), round == rounds);
    }
    assert!(matches!(
        session.start_round(0),
        Err(Refusal::NotNow { .. })
    ));

    // A round's time running out plays it just as ending it does.
    let mut timed = cafe_with(2, 2);
    timed.start_round(0).unwrap();
    assert!(timed.tick(301_000));
    assert_eq!(timed.challenge_view(None).unwrap().rounds_played, 1);
}

#[test]
fn a_net_zero_scenario_shows_what_each_investment_costs_per_tonne() {
    let bakery = SessionSetup {
        activity: Activity::Challenge(ChallengeId::new("bakery-net-zero")),
        ..setup(2)
    };
    let session = ClassSession::new(bakery, content()).unwrap();
    let view = session.challenge_view(None).unwrap();
    let investments = &content().challenges["bakery-net-zero"]
        .net_zero
        .as_ref()
        .unwrap()
        .investments;
    assert_eq!(view.abatement.len(), investments.len());
}

#[test]
fn a_finished_challenge_for_the_most_teams_fits_in_one_frame_to_a_client() {
    // Every team's every round goes to every client in one frame, which a client
    // refuses past its limit: the longest shipped challenge, played to its end by the
    // most teams a session allows, must still fit.
    let most_teams = *TEAMS.end();
    for (id, challenge) in &content().challenges {
        let setup = SessionSetup {
            activity: Activity::Challenge(id.clone()),
            ..setup(most_teams)
        };
        let mut session = ClassSession::new(setup, content()).unwrap();
        for _ in 0..challenge.rounds {
            session.start_round(0).unwrap();
            session.end_round().unwrap();
        }
        let view = session.challenge_view(None).unwrap();
        let frame = workworlds_protocol::frame::encode(&ServerEvent::Challenge(view)).unwrap();
        assert!(
            frame.len() < workworlds_protocol::quic::MAX_SERVER_FRAME_BYTES,
            "{id}: {} bytes",
            frame.len()
        );
    }
}
