//! A class plays an enterprise challenge over real QUIC: three teams, each pupil setting
//! the decisions their job role owns, the teacher ending each round, every client shown
//! the same results, the results kept in the store for a restarted server, and the
//! leaderboard once the last round is played.

use workworlds_challenge::{RoundResult, ScoreMeasure};
use workworlds_content::ContentBundle;
use workworlds_content::ids::ChallengeId;
use workworlds_protocol::events::{ChallengeView, Reply, ServerEvent};
use workworlds_protocol::hello::{ClientHello, Intent};
use workworlds_protocol::ids::{JoinCode, TeamId};
use workworlds_protocol::quic::{ClassClient, ClientError, Trust};
use workworlds_protocol::refusal::Refusal;
use workworlds_protocol::requests::{Activity, PupilRequest, TeacherRequest};
use workworlds_tests::{PASSWORD, TEACHER, TestServer, content_dir, next_picked, serve, within};

const CHALLENGE: &str = "seaside-cafe";
const TEAMS: u8 = 3;
const PUPILS: usize = 6;

/// The next challenge view `client` is sent that satisfies `wanted`.
async fn challenge_where(
    client: &mut ClassClient,
    wanted: impl Fn(&ChallengeView) -> bool,
) -> ChallengeView {
    next_picked(client, |event| match event {
        ServerEvent::Challenge(view) if wanted(&view) => Some(view),
        _ => None,
    })
    .await
}

/// The challenge's results as a second server, started on the same data folder as if
/// after a restart, brings them back for the teacher who opens the session there.
async fn restored_elsewhere(server: &TestServer, code: &JoinCode) -> Vec<Vec<RoundResult>> {
    let (address, fingerprint) = serve(server.data.path()).await.unwrap();
    let intent = Intent::Teacher {
        name: TEACHER.into(),
        password: PASSWORD.into(),
    };
    let hello = ClientHello::new([0; 32], intent);
    let connect = ClassClient::connect(address, Trust::Pinned(fingerprint), hello);
    let mut teacher = within(connect).await.unwrap();
    let open = TeacherRequest::OpenSession { code: code.clone() };
    within(teacher.teacher(open)).await.unwrap();
    challenge_where(&mut teacher, |_| true).await.results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_teams_play_a_challenge_through_to_the_leaderboard() {
    let bundle = ContentBundle::read_dir(&content_dir()).unwrap();
    let content = bundle.load().unwrap();
    let challenge = &content.challenges[CHALLENGE];

    let server = TestServer::start().await.unwrap();
    let mut teacher = server.teacher().await.unwrap();
    let created = TeacherRequest::CreateSession {
        activity: Activity::Challenge(ChallengeId::new(CHALLENGE)),
        teams: TEAMS,
        round_seconds: 120,
        typed_names: false,
    };
    let Reply::SessionCreated { code } = within(teacher.teacher(created)).await.unwrap() else {
        panic!("no session")
    };
    let mut pupils = Vec::new();
    for _ in 0..PUPILS {
        pupils.push(server.pupil(&code).await.unwrap());
    }

    // Each pupil learns their team and roles from the challenge as they are shown it
    // once the class is complete: roles are dealt again as pupils arrive, so the views
    // from before the teacher locked the lobby are out of date.
    within(teacher.teacher(TeacherRequest::LockLobby { locked: true }))
        .await
        .unwrap();
    let mut plans = Vec::new();
    for pupil in &mut pupils {
        next_picked(pupil, |event| match event {
            ServerEvent::Session(view) if view.lobby_locked => Some(()),
            _ => None,
        })
        .await;
        let view = challenge_where(pupil, |view| view.plan.is_some()).await;
        plans.push(view.plan.unwrap());
    }
    let teams: std::collections::BTreeSet<_> = plans.iter().map(|plan| plan.team).collect();
    assert_eq!(teams.len(), usize::from(TEAMS), "every team has pupils");

    // A decision of a role the pupil does not hold is refused.
    let first_roles = &plans[0].roles;
    let not_theirs = challenge
        .decisions
        .iter()
        .find(|decision| !first_roles.contains(&decision.owner))
        .unwrap();
    let refused = within(pupils[0].pupil(PupilRequest::SetDecision {
        decision: not_theirs.id.clone(),
        value: not_theirs.default,
    }))
    .await;
    assert!(
        matches!(refused, Err(ClientError::Refused(Refusal::NotNow { .. }))),
        "{refused:?}"
    );

    let mut final_view = None;
    for round in 1..=challenge.rounds {
        within(teacher.teacher(TeacherRequest::StartRound))
            .await
            .unwrap();
        // Every pupil moves each decision they own a step up from where it starts.
        for (pupil, plan) in pupils.iter_mut().zip(&plans) {
            for decision in challenge
                .decisions
                .iter()
                .filter(|decision| plan.roles.contains(&decision.owner))
            {
                let value = (decision.default + decision.step).min(decision.max);
                let reply = within(pupil.pupil(PupilRequest::SetDecision {
                    decision: decision.id.clone(),
                    value,
                }))
                .await;
                assert!(matches!(reply, Ok(Reply::Done)), "{reply:?}");
            }
        }
        within(teacher.teacher(TeacherRequest::EndRound))
            .await
            .unwrap();
        let seen = challenge_where(&mut teacher, |view| view.rounds_played == round).await;
        assert!(seen.results.iter().all(|team| team.len() == round as usize));
        assert_eq!(seen.leaderboard.is_some(), round == challenge.rounds);
        if round == 2 {
            assert_eq!(restored_elsewhere(&server, &code).await, seen.results);
        }
        final_view = Some(seen);
    }

    // Everyone sees the same results and the same final leaderboard.
    let final_view = final_view.expect("the challenge has rounds");
    for pupil in &mut pupils {
        let view = challenge_where(pupil, |view| view.leaderboard.is_some()).await;
        assert_eq!(view.results, final_view.results);
        assert_eq!(view.leaderboard, final_view.leaderboard);
    }
    let refused = within(teacher.teacher(TeacherRequest::StartRound)).await;
    assert!(refused.is_err(), "no round after the last: {refused:?}");
    assert!(
        final_view.abatement.is_empty(),
        "the café is not a net-zero scenario"
    );

    // In the debrief the teacher marks a team's reflection, which counts on its card.
    // Team 3 comes last on reflection while no team has a mark, as ties keep team order.
    let mark = |mark| TeacherRequest::MarkReflection {
        team: TeamId(2),
        mark,
    };
    assert!(
        within(teacher.teacher(mark(9))).await.is_err(),
        "marks go to 4"
    );
    within(teacher.teacher(mark(4))).await.unwrap();
    let marked = challenge_where(&mut teacher, |view| view.reflections[2].is_some()).await;
    assert_eq!(marked.reflections[2].map(|mark| mark.get()), Some(4));
    let board = marked.leaderboard.expect("the leaderboard stays");
    assert_eq!(
        board.by_measure[&ScoreMeasure::Reflection][0],
        2,
        "{board:?}"
    );
}
