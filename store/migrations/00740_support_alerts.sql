-- Proactive support alerts (package supportalerts). A resident who saved
-- their support-finder answers (support_saved_answers) and asked for
-- alerts (notification_settings.support_alerts) is emailed when a
-- published service's eligibility rule newly matches those answers: a new
-- service, or a changed rule. Kept for that, and for nothing else: when
-- they asked, and the services already matched, each told once. Both go
-- when they turn alerts off, when they delete their answers, and with the
-- person. The SQL is the same for SQLite and PostgreSQL; times are Unix
-- milliseconds in BIGINT.

-- +goose Up

CREATE TABLE support_alert_subscriptions (
    person_id   BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    opted_in_at BIGINT NOT NULL,
    lang        TEXT   NOT NULL DEFAULT '', -- the page's language when they asked; their settings' language wins
    -- support_saved_answers.updated_at of the answers the matches were
    -- taken for: answers saved again are a new starting point, not news.
    answers_at  BIGINT NOT NULL
);

-- The services that matched at opt-in or were told since. A service that
-- stops matching is deleted, so that it is told again if it matches again.
CREATE TABLE support_alert_matches (
    person_id    BIGINT NOT NULL REFERENCES support_alert_subscriptions (person_id) ON DELETE CASCADE,
    service_slug TEXT   NOT NULL CHECK (service_slug <> ''),
    since        BIGINT NOT NULL,
    PRIMARY KEY (person_id, service_slug)
);

-- +goose Down
DROP TABLE support_alert_matches;
DROP TABLE support_alert_subscriptions;
