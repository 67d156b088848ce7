use workworlds_content::ids::BadgeId;
use workworlds_protocol::hello::Identity;
use workworlds_protocol::ids::{JoinCode, PupilId, ResumeToken, TeamId};

use super::*;
use crate::testing::Headless;

fn in_class() -> Headless {
    let mut game = Headless::new();
    game.hear(NetEvent::Connected(Identity::Pupil {
        pupil: PupilId(1),
        name: "Osian".into(),
        session: JoinCode::parse("K7QM3X").unwrap(),
        team: TeamId(0),
        token: ResumeToken([2; 16]),
    }));
    game
}

fn portfolio(year_group: &str) -> NetEvent {
    NetEvent::Replied(Ok(Reply::Portfolio(Box::new(Portfolio {
        name: "Osian".into(),
        class: "9C".into(),
        year_group: year_group.into(),
        ..Portfolio::default()
    }))))
}

#[test]
fn primary_year_groups_are_told_apart_from_secondary_ones() {
    for primary in ["Y1", "Y6", "Reception", "", "Year 4"] {
        assert!(is_primary(primary), "{primary}");
    }
    for secondary in ["Y7", "Y9", "Year 11", "12"] {
        assert!(!is_primary(secondary), "{secondary}");
    }
}

#[test]
fn opening_the_portfolio_asks_the_server_and_an_older_pupil_starts_on_badges() {
    let mut game = in_class();
    game.send(OpenPortfolio);
    assert!(matches!(
        game.sent().as_slice(),
        [NetCommand::Pupil(PupilRequest::Portfolio)]
    ));
    assert_eq!(game.screen(), Screen::Portfolio);
    assert!(game.resource::<PortfolioState>().waiting);

    game.hear(portfolio("Y9"));
    let state = game.resource::<PortfolioState>();
    assert_eq!(state.tab, Tab::Badges);
    assert_eq!(state.portfolio.as_ref().unwrap().name, "Osian");
    assert!(!state.waiting);

    game.send(ClosePortfolio);
    assert_eq!(game.screen(), Screen::Class);
}

#[test]
fn a_younger_pupil_starts_on_the_passport_and_keeps_the_tab_they_chose() {
    let mut game = in_class();
    game.send(OpenPortfolio);
    game.hear(portfolio("Y3"));
    assert_eq!(game.resource::<PortfolioState>().tab, Tab::Passport);

    game.send(ShowTab(Tab::Reflections));
    game.hear(portfolio("Y3"));
    assert_eq!(game.resource::<PortfolioState>().tab, Tab::Reflections);
}

#[test]
fn choosing_a_best_reflection_asks_the_server_then_shows_what_it_says() {
    let mut game = in_class();
    game.send(OpenPortfolio);
    game.hear(portfolio("Y5"));
    game.sent();

    game.send(ChooseBest {
        reflection: 12,
        best: true,
    });
    let sent = game.sent();
    assert!(
        matches!(
            sent.as_slice(),
            [
                NetCommand::Pupil(PupilRequest::ChooseBest {
                    reflection: 12,
                    best: true
                }),
                NetCommand::Pupil(PupilRequest::Portfolio)
            ]
        ),
        "{sent:?}"
    );

    // A badge earned while the portfolio is open brings it up to date.
    game.hear(NetEvent::Server(ServerEvent::BadgeEarned(BadgeId::new(
        "first-stamp",
    ))));
    assert!(matches!(
        game.sent().as_slice(),
        [NetCommand::Pupil(PupilRequest::Portfolio)]
    ));
}
