//! An enterprise challenge as a pupil plays it: the employer's brief, the job roles the
//! pupil holds and the decisions those roles own, the team's other decisions, the
//! round's time, then each round's results for every team on charts, why each measure
//! changed, the events that happened, the leaderboard by measure at the end, and the
//! debrief prompts to reflect on. The server simulates every round; the game shows it.

pub(crate) mod charts;
mod panel;

use std::collections::BTreeMap;

use bevy::prelude::*;
use bevy_egui::EguiPrimaryContextPass;
use workworlds_protocol::events::{ChallengeView, ServerEvent};
use workworlds_protocol::requests::{Activity, PupilRequest};

use crate::net::{Net, NetCommand, NetEvent};
use crate::screen::Screen;
use crate::world::Exploring;

/// Adds the challenge's state, its messages and the pupil's challenge screen.
pub struct ChallengePlugin;

impl Plugin for ChallengePlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Playing>()
            .add_message::<ChooseValue>()
            .add_message::<ChooseInvestment>()
            .add_message::<ShowMeasure>()
            .add_message::<Reflect>()
            .add_systems(
                Update,
                (
                    follow_challenge,
                    choose_value,
                    choose_investment,
                    show_measure,
                    reflect,
                ),
            )
            .add_systems(
                EguiPrimaryContextPass,
                panel::draw_challenge.run_if(in_state(Screen::Class).and_then(is_in_a_challenge)),
            );
    }
}

/// The measures the results chart can show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Chart {
    #[default]
    Money,
    Customers,
    Wellbeing,
    Carbon,
}

impl Chart {
    pub const ALL: [Chart; 4] = [
        Chart::Money,
        Chart::Customers,
        Chart::Wellbeing,
        Chart::Carbon,
    ];
}

/// What the challenge screen shows.
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct Playing {
    /// The challenge as the server last showed this pupil.
    pub view: Option<ChallengeView>,
    /// Values a slider is being moved to, before they are sent.
    pub drafts: BTreeMap<String, f64>,
    pub chart: Chart,
    /// Reflections sent, by debrief prompt.
    pub reflected: Vec<u8>,
    /// The server's last refusal, in its words.
    pub problem: Option<String>,
}

/// Set one of the team's decisions for the next round.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct ChooseValue {
    pub decision: String,
    pub value: f64,
}

/// Add a net-zero investment to the team's plan, or take it off.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct ChooseInvestment {
    pub investment: String,
    pub buy: bool,
}

#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShowMeasure(pub Chart);

/// Answer a debrief prompt.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct Reflect {
    pub prompt: u8,
    pub text: String,
}

/// Whether the pupil's class is playing a challenge.
pub fn is_in_a_challenge(world: Res<Exploring>) -> bool {
    world
        .view
        .as_ref()
        .is_some_and(|view| matches!(view.activity, Activity::Challenge(_)))
}

fn follow_challenge(mut heard: MessageReader<NetEvent>, mut playing: ResMut<Playing>) {
    for event in heard.read() {
        match event {
            NetEvent::Server(ServerEvent::Challenge(view)) => {
                // A plan the server has taken replaces the draft it came from.
                if let Some(plan) = &view.plan {
                    for (decision, value) in &plan.decisions.values {
                        if playing.drafts.get(decision) == Some(value) {
                            playing.drafts.remove(decision);
                        }
                    }
                }
                playing.view = Some(view.clone());
            }
            NetEvent::Replied(Err(why)) if playing.view.is_some() => {
                playing.problem = Some(why.clone());
            }
            NetEvent::Connected(_) | NetEvent::Lost(_) => *playing = Playing::default(),
            _ => {}
        }
    }
}

fn choose_value(
    mut requests: MessageReader<ChooseValue>,
    net: Option<Res<Net>>,
    mut playing: ResMut<Playing>,
) {
    for choice in requests.read() {
        playing.drafts.insert(choice.decision.clone(), choice.value);
        playing.problem = None;
        if let Some(net) = &net {
            net.send(NetCommand::Pupil(PupilRequest::SetDecision {
                decision: choice.decision.clone(),
                value: choice.value,
            }));
        }
    }
}

fn choose_investment(mut requests: MessageReader<ChooseInvestment>, net: Option<Res<Net>>) {
    for choice in requests.read() {
        if let Some(net) = &net {
            net.send(NetCommand::Pupil(PupilRequest::SetInvestment {
                investment: choice.investment.clone(),
                buy: choice.buy,
            }));
        }
    }
}

fn show_measure(mut requests: MessageReader<ShowMeasure>, mut playing: ResMut<Playing>) {
    for ShowMeasure(chart) in requests.read() {
        playing.chart = *chart;
    }
}

fn reflect(
    mut requests: MessageReader<Reflect>,
    net: Option<Res<Net>>,
    mut playing: ResMut<Playing>,
) {
    for request in requests.read() {
        if let Some(net) = &net {
            net.send(NetCommand::Pupil(PupilRequest::Reflect {
                prompt: request.prompt,
                text: request.text.clone(),
            }));
        }
        playing.reflected.push(request.prompt);
    }
}

#[cfg(test)]
mod tests;
