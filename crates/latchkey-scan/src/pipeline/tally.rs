//! Merging what successive attempts saw into one answer.

use super::Outcome;
use super::read::Sighting;

/// Everything seen so far, across attempts.
#[derive(Default)]
pub(super) struct Tally {
    /// Decoded codes, one per distinct text, where first seen.
    decoded: Vec<Sighting>,
    /// Grids no attempt has decoded (yet), and whether their surroundings were re-read.
    pending: Vec<(Sighting, bool)>,
    /// Every undecoded sighting, for sampling by hand at the end (at most
    /// [`MAX_MISSES`]).
    misses: Vec<Sighting>,
    /// Pixels handed to rqrr so far.
    work: u64,
}

/// How many undecoded sightings are kept: a page of noise can show hundreds of grids.
const MAX_MISSES: usize = 32;

impl Tally {
    /// Merges one pass's sightings. Returns whether the pass decoded any code.
    pub fn add(&mut self, sightings: Vec<Sighting>) -> bool {
        let decoded = sightings.iter().any(|s| s.text.is_some());
        for s in sightings {
            if s.text.is_some() {
                self.pending.retain(|(p, _)| !same_place(p, &s));
                if !self.decoded.iter().any(|d| d.text == s.text) {
                    self.decoded.push(s);
                }
            } else if !self
                .decoded
                .iter()
                .chain(self.pending.iter().map(|(p, _)| p))
                .any(|d| same_place(d, &s))
            {
                self.pending.push((s, false));
            } else if self.misses.len() < MAX_MISSES {
                self.misses.push(s);
            }
        }
        decoded
    }

    /// Books `pixels` of work if that stays within `limit`; false (and nothing booked)
    /// otherwise.
    pub fn spend(&mut self, pixels: u64, limit: u64) -> bool {
        let within = self.work + pixels <= limit;
        if within {
            self.work += pixels;
        }
        within
    }

    /// Something decoded, and no grid is left that might be another code.
    pub fn done(&self) -> bool {
        !self.decoded.is_empty() && self.pending.is_empty()
    }

    /// Whether a code has decoded at `spot`.
    pub fn decoded_at(&self, spot: (f32, f32)) -> bool {
        self.decoded
            .iter()
            .any(|d| (d.centre.0 - spot.0).hypot(d.centre.1 - spot.1) < d.radius * 0.5)
    }

    /// Whether an undecoded grid is still pending at `spot`.
    pub fn pending_at(&self, spot: (f32, f32)) -> bool {
        self.pending
            .iter()
            .any(|(p, _)| (p.centre.0 - spot.0).hypot(p.centre.1 - spot.1) < p.radius * 0.5)
    }

    /// The undecoded grids whose surroundings have not been re-read yet, as (centre,
    /// radius); they are marked as re-read.
    pub fn take_unrefined(&mut self) -> Vec<((f32, f32), f32)> {
        let mut spots = Vec::new();
        for (p, refined) in self.pending.iter_mut().filter(|(_, r)| !*r) {
            *refined = true;
            spots.push((p.centre, p.radius));
        }
        spots
    }

    /// Every undecoded sighting of a place where nothing has decoded yet, the first
    /// sighting of each place first; the rest are dropped.
    pub fn take_misses(&mut self) -> Vec<Sighting> {
        let mut misses: Vec<Sighting> = self.pending.drain(..).map(|(s, _)| s).collect();
        misses.append(&mut self.misses);
        misses
    }

    /// The texts in reading order of their position (top to bottom, then left to
    /// right), and whether a grid was seen that nothing decoded.
    pub fn outcome(mut self) -> Outcome {
        // total_cmp: a NaN from a degenerate grid must not break the sort.
        self.decoded.sort_by(|a, b| {
            a.centre
                .1
                .total_cmp(&b.centre.1)
                .then(a.centre.0.total_cmp(&b.centre.0))
        });
        Outcome {
            unreadable: self.decoded.is_empty() && !self.pending.is_empty(),
            texts: self.decoded.into_iter().filter_map(|s| s.text).collect(),
        }
    }
}

/// Two sightings are of the same code when their centres are closer than half the
/// smaller one's radius.
fn same_place(a: &Sighting, b: &Sighting) -> bool {
    let d = (a.centre.0 - b.centre.0).hypot(a.centre.1 - b.centre.1);
    d < a.radius.min(b.radius) * 0.5
}
