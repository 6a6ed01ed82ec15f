-- The communities a landlord or shop head was in before moving to another, each until the moment of the move (until_at).
-- Lists were read with today's community, so someone who moved left the old community's past weeks and joined the new
-- one's, and a published week's preview no longer hashed as the list published. A week's lists now show each subject in
-- the community they were in at the week's end: the one their first move at or after it left, else their present one.
-- Moves before this migration are not known: those subjects stay where they are now, as before.
CREATE TABLE subject_moves (
    subject_id TEXT NOT NULL REFERENCES subjects(id),
    community_id TEXT NOT NULL REFERENCES communities(id),
    until_at TEXT NOT NULL
);
-- One move of a subject at a given moment: the first change of that moment tells where they were before it.
CREATE UNIQUE INDEX ux_subject_moves ON subject_moves(subject_id, until_at);
