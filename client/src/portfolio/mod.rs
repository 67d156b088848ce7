//! A pupil's portfolio: the passport, job cards, badges (what each means and how it was
//! earned) and reflections, of which the pupil picks their best. What is shown is what
//! the server sent; picking a best reflection asks the server, which answers with the
//! portfolio as it now stands.

mod panel;

use bevy::prelude::*;
use bevy_egui::EguiPrimaryContextPass;
use workworlds_protocol::events::{Reply, ServerEvent};
use workworlds_protocol::portfolio::Portfolio;
use workworlds_protocol::requests::PupilRequest;

use crate::net::{Net, NetCommand, NetEvent};
use crate::screen::Screen;

/// The last primary-school year group: pupils up to it see their passport first, as the
/// CWRE guidance gives younger pupils a passport rather than a portfolio.
pub const LAST_PRIMARY_YEAR: u32 = 6;

/// Adds the portfolio's state, its messages and its screen.
pub struct PortfolioPlugin;

impl Plugin for PortfolioPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<PortfolioState>()
            .add_message::<OpenPortfolio>()
            .add_message::<ShowTab>()
            .add_message::<ChooseBest>()
            .add_message::<ClosePortfolio>()
            .add_systems(
                Update,
                (
                    ask_for_portfolio,
                    choose_best,
                    show_tab,
                    close_portfolio,
                    apply_portfolio,
                ),
            )
            .add_systems(
                EguiPrimaryContextPass,
                panel::draw_portfolio.run_if(in_state(Screen::Portfolio)),
            );
    }
}

/// The parts of the portfolio, one tab each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Passport,
    JobCards,
    Badges,
    Reflections,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Passport, Tab::JobCards, Tab::Badges, Tab::Reflections];
}

/// What the portfolio screen shows.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct PortfolioState {
    pub portfolio: Option<Portfolio>,
    pub tab: Tab,
    /// Waiting for the server's answer.
    pub waiting: bool,
    /// The server's refusal, in its words.
    pub problem: Option<String>,
}

/// Ask the server for the pupil's portfolio and show it.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenPortfolio;

#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShowTab(pub Tab);

/// Mark one of the pupil's reflections as one of their best, or not.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChooseBest {
    pub reflection: u64,
    pub best: bool,
}

/// Back to the class screen.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClosePortfolio;

/// Whether a year group such as "Y4" or "Reception" is primary school; unknown groups
/// count as primary, so a pupil without a class sees the passport first.
pub fn is_primary(year_group: &str) -> bool {
    let digits: String = year_group.chars().filter(char::is_ascii_digit).collect();
    digits
        .parse::<u32>()
        .map_or(true, |year| year <= LAST_PRIMARY_YEAR)
}

fn ask_for_portfolio(
    mut requests: MessageReader<OpenPortfolio>,
    net: Option<Res<Net>>,
    mut state: ResMut<PortfolioState>,
    mut screen: ResMut<NextState<Screen>>,
) {
    for OpenPortfolio in requests.read() {
        if let Some(net) = &net {
            net.send(NetCommand::Pupil(PupilRequest::Portfolio));
        }
        state.waiting = true;
        state.problem = None;
        screen.set(Screen::Portfolio);
    }
}

fn choose_best(
    mut requests: MessageReader<ChooseBest>,
    net: Option<Res<Net>>,
    mut state: ResMut<PortfolioState>,
) {
    for choice in requests.read() {
        let Some(net) = &net else { continue };
        net.send(NetCommand::Pupil(PupilRequest::ChooseBest {
            reflection: choice.reflection,
            best: choice.best,
        }));
        // The portfolio as the server now has it, rather than guessing here.
        net.send(NetCommand::Pupil(PupilRequest::Portfolio));
        state.waiting = true;
    }
}

fn show_tab(mut requests: MessageReader<ShowTab>, mut state: ResMut<PortfolioState>) {
    for ShowTab(tab) in requests.read() {
        state.tab = *tab;
    }
}

fn close_portfolio(
    mut requests: MessageReader<ClosePortfolio>,
    mut screen: ResMut<NextState<Screen>>,
) {
    for ClosePortfolio in requests.read() {
        screen.set(Screen::Class);
    }
}

/// Takes the portfolio the server sent. The first time, a primary pupil starts on the
/// passport and an older one on their badges. A new badge asks for the portfolio again.
fn apply_portfolio(
    mut heard: MessageReader<NetEvent>,
    net: Option<Res<Net>>,
    mut state: ResMut<PortfolioState>,
) {
    for event in heard.read() {
        match event {
            NetEvent::Replied(Ok(Reply::Portfolio(portfolio))) => {
                if state.portfolio.is_none() {
                    state.tab = if is_primary(&portfolio.year_group) {
                        Tab::Passport
                    } else {
                        Tab::Badges
                    };
                }
                state.portfolio = Some((**portfolio).clone());
                state.waiting = false;
            }
            NetEvent::Replied(Err(why)) if state.waiting => {
                state.problem = Some(why.clone());
                state.waiting = false;
            }
            NetEvent::Server(ServerEvent::BadgeEarned(_)) if state.portfolio.is_some() => {
                if let Some(net) = &net {
                    net.send(NetCommand::Pupil(PupilRequest::Portfolio));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
