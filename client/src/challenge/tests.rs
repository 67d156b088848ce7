use workworlds_challenge::Decisions;
use workworlds_content::challenge::TeamRole;
use workworlds_content::ids::ChallengeId;
use workworlds_protocol::events::TeamPlan;
use workworlds_protocol::ids::TeamId;

use super::*;
use crate::testing::Headless;

fn view(plan: Decisions) -> ChallengeView {
    ChallengeView {
        challenge: ChallengeId::new("seaside-cafe"),
        rounds_played: 0,
        results: vec![Vec::new(); 3],
        plan: Some(TeamPlan {
            team: TeamId(0),
            roles: vec![TeamRole::Finance],
            decisions: plan,
        }),
        reflections: vec![None; 3],
        abatement: Vec::new(),
        leaderboard: None,
    }
}

#[test]
fn a_chosen_value_goes_to_the_server_and_is_shown_until_the_server_has_it() {
    let mut game = Headless::new();
    game.hear(NetEvent::Server(ServerEvent::Challenge(view(
        Decisions::none(),
    ))));
    game.send(ChooseValue {
        decision: "price".into(),
        value: 6.5,
    });
    let sent = game.sent();
    assert!(
        matches!(
            sent.as_slice(),
            [NetCommand::Pupil(PupilRequest::SetDecision { decision, value })]
                if decision == "price" && (*value - 6.5).abs() < f64::EPSILON
        ),
        "{sent:?}"
    );
    assert_eq!(game.resource::<Playing>().drafts.get("price"), Some(&6.5));

    // The team's plan comes back with the value: the draft has done its job.
    game.hear(NetEvent::Server(ServerEvent::Challenge(view(
        Decisions::none().with("price", 6.5),
    ))));
    assert_eq!(game.resource::<Playing>().drafts.get("price"), None);
}

#[test]
fn investments_and_reflections_are_asked_of_the_server() {
    let mut game = Headless::new();
    game.send(ChooseInvestment {
        investment: "heat-pump".into(),
        buy: true,
    });
    game.send(Reflect {
        prompt: 1,
        text: "We should have hired sooner".into(),
    });
    let sent = game.sent();
    assert!(
        matches!(
            sent.as_slice(),
            [
                NetCommand::Pupil(PupilRequest::SetInvestment { investment, buy: true }),
                NetCommand::Pupil(PupilRequest::Reflect { prompt: 1, .. })
            ] if investment == "heat-pump"
        ),
        "{sent:?}"
    );
    assert_eq!(game.resource::<Playing>().reflected, [1]);
}
