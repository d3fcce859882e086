CREATE TABLE "tournament_bracket_rows" (
	"tournament_id" text NOT NULL,
	"table_name" text NOT NULL,
	"id" integer NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "tournament_bracket_rows_tournament_id_table_name_id_pk" PRIMARY KEY("tournament_id","table_name","id")
);
--> statement-breakpoint
CREATE TABLE "tournament_entries" (
	"tournament_id" text NOT NULL,
	"player_id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"status" text NOT NULL,
	"registrations" integer NOT NULL,
	"seed" integer,
	"place" integer,
	"prize_minor" bigint,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tournament_entries_tournament_id_player_id_pk" PRIMARY KEY("tournament_id","player_id"),
	CONSTRAINT "tournament_entries_status_known" CHECK ("tournament_entries"."status" in ('registered', 'unregistered'))
);
--> statement-breakpoint
CREATE TABLE "tournament_match_results" (
	"room_id" text PRIMARY KEY NOT NULL,
	"winner_player_id" text,
	"reason" text NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tournament_matches" (
	"tournament_id" text NOT NULL,
	"match_id" integer NOT NULL,
	"round" integer NOT NULL,
	"slot" integer NOT NULL,
	"player0_id" uuid NOT NULL,
	"player1_id" uuid NOT NULL,
	"status" text NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"room_id" text,
	"reservations" jsonb,
	"show_deadline_at" timestamp with time zone,
	"cap_deadline_at" timestamp with time zone,
	"winner_player_id" uuid,
	"reason" text,
	"placed_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "tournament_matches_tournament_id_match_id_pk" PRIMARY KEY("tournament_id","match_id"),
	CONSTRAINT "tournament_matches_status_known" CHECK ("tournament_matches"."status" in ('placing', 'live', 'finished'))
);
--> statement-breakpoint
CREATE TABLE "tournaments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"game" text NOT NULL,
	"format" text NOT NULL,
	"best_of" integer NOT NULL,
	"entry_fee_minor" bigint NOT NULL,
	"rake_bps" integer NOT NULL,
	"seats_min" integer NOT NULL,
	"seats_max" integer NOT NULL,
	"prize_bps" jsonb NOT NULL,
	"registration_opens_at" timestamp with time zone NOT NULL,
	"starts_at" timestamp with time zone,
	"start_when_full" boolean NOT NULL,
	"match_options" jsonb NOT NULL,
	"no_show_ms" integer NOT NULL,
	"match_cap_ms" integer NOT NULL,
	"status" text NOT NULL,
	"recurring_key" text,
	"wallet_round_id" text NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"version" integer DEFAULT 0 NOT NULL,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "tournaments_status_known" CHECK ("tournaments"."status" in ('scheduled', 'registering', 'running', 'finished', 'cancelled')),
	CONSTRAINT "tournaments_seats" CHECK ("tournaments"."seats_min" >= 2 and "tournaments"."seats_max" >= "tournaments"."seats_min"),
	CONSTRAINT "tournaments_entry_fee_positive" CHECK ("tournaments"."entry_fee_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "tournament_bracket_rows" ADD CONSTRAINT "tournament_bracket_rows_tournament_id_tournaments_id_fk" FOREIGN KEY ("tournament_id") REFERENCES "public"."tournaments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tournament_entries" ADD CONSTRAINT "tournament_entries_tournament_id_tournaments_id_fk" FOREIGN KEY ("tournament_id") REFERENCES "public"."tournaments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tournament_matches" ADD CONSTRAINT "tournament_matches_tournament_id_tournaments_id_fk" FOREIGN KEY ("tournament_id") REFERENCES "public"."tournaments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tournament_entries_player" ON "tournament_entries" USING btree ("player_id","registered_at");--> statement-breakpoint
CREATE INDEX "tournament_matches_room" ON "tournament_matches" USING btree ("room_id");--> statement-breakpoint
CREATE INDEX "tournaments_status" ON "tournaments" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tournaments_recurring_open" ON "tournaments" USING btree ("recurring_key") WHERE "tournaments"."status" in ('scheduled', 'registering') and "tournaments"."recurring_key" is not null;--> statement-breakpoint
-- Tournament entries can be withdrawn one at a time before the start: prize pool -> the player, what that player
-- has paid in net of earlier refunds. Only for an open round without a recorded outcome; idempotent on the key.
CREATE FUNCTION wallet_refund_entry(p_key text, p_round_id text, p_player_id uuid) RETURNS SETOF wallet_posting
LANGUAGE plpgsql AS $$
DECLARE
  v_round wallet_rounds;
  v_player bigint;
  v_existing bigint;
  v_net_minor bigint;
BEGIN
  SELECT * INTO v_round FROM wallet_rounds WHERE id = p_round_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'round % is not registered', p_round_id USING ERRCODE = 'WL002';
  END IF;
  v_player := wallet_player_account(p_player_id);
  SELECT id INTO v_existing FROM wallet_transfers WHERE idempotency_key = p_key;
  IF FOUND THEN
    IF NOT EXISTS (SELECT 1 FROM wallet_transfers WHERE id = v_existing AND kind = 'refund'
                     AND debit_account_id = v_round.escrow_account_id AND credit_account_id = v_player) THEN
      RAISE EXCEPTION 'idempotency key % was used for a different transfer', p_key USING ERRCODE = 'WL001';
    END IF;
    RETURN QUERY SELECT * FROM wallet_postings(ARRAY[v_existing], true);
    RETURN;
  END IF;
  IF v_round.status <> 'open' OR v_round.outcome IS NOT NULL THEN
    RAISE EXCEPTION 'round % is % or has its outcome recorded', p_round_id, v_round.status USING ERRCODE = 'WL003';
  END IF;
  PERFORM wallet_lock_accounts(ARRAY[v_player, v_round.escrow_account_id]);
  SELECT coalesce(sum(CASE WHEN credit_account_id = v_round.escrow_account_id THEN amount_minor
                           ELSE -amount_minor END), 0)::bigint
    INTO v_net_minor
    FROM wallet_transfers
   WHERE round_id = p_round_id
     AND ((debit_account_id = v_player AND credit_account_id = v_round.escrow_account_id)
       OR (debit_account_id = v_round.escrow_account_id AND credit_account_id = v_player AND kind = 'refund'));
  IF v_net_minor <= 0 THEN
    RAISE EXCEPTION 'player % has nothing in round %', p_player_id, p_round_id USING ERRCODE = 'WL005';
  END IF;
  RETURN NEXT wallet_post(p_key, v_round.escrow_account_id, v_player, v_net_minor, 'refund', p_round_id);
END
$$;
--> statement-breakpoint
-- As in 0002, but each account gets back what it paid in net of the single refunds it has had already
-- (wallet_refund_entry), so a round with withdrawn entries still empties to exactly zero.
CREATE OR REPLACE FUNCTION wallet_refund(p_key text, p_round_id text) RETURNS SETOF wallet_posting
LANGUAGE plpgsql AS $$
DECLARE
  v_round wallet_rounds;
  v_accounts bigint[];
  v_posted integer := 0;
  v_paid_in record;
BEGIN
  SELECT * INTO v_round FROM wallet_rounds WHERE id = p_round_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'round % is not registered', p_round_id USING ERRCODE = 'WL002';
  END IF;
  IF v_round.close_key = p_key AND v_round.status = 'refunded' THEN
    RETURN QUERY SELECT * FROM wallet_close_result(
      ARRAY(SELECT id FROM wallet_transfers WHERE debit_account_id = v_round.escrow_account_id AND kind = 'refund'
              AND idempotency_key LIKE p_key || '#refund#%'),
      true);
    RETURN;
  END IF;
  IF v_round.status <> 'open' THEN
    RAISE EXCEPTION 'round % is already %', p_round_id, v_round.status USING ERRCODE = 'WL003';
  END IF;
  IF v_round.outcome IS NOT NULL THEN
    RAISE EXCEPTION 'round % has its outcome recorded: settle it', p_round_id USING ERRCODE = 'WL003';
  END IF;
  IF EXISTS (SELECT 1 FROM wallet_transfers WHERE idempotency_key = p_key)
     OR EXISTS (SELECT 1 FROM wallet_rounds WHERE close_key = p_key) THEN
    RAISE EXCEPTION 'idempotency key % was already used', p_key USING ERRCODE = 'WL001';
  END IF;
  SELECT array_agg(DISTINCT debit_account_id) INTO v_accounts
    FROM wallet_transfers WHERE credit_account_id = v_round.escrow_account_id;
  PERFORM wallet_lock_accounts(coalesce(v_accounts, ARRAY[]::bigint[]) || v_round.escrow_account_id);
  FOR v_paid_in IN
    SELECT account_id, sum(delta_minor)::bigint AS amount_minor
      FROM (SELECT debit_account_id AS account_id, amount_minor AS delta_minor
              FROM wallet_transfers WHERE credit_account_id = v_round.escrow_account_id
            UNION ALL
            SELECT credit_account_id, -amount_minor
              FROM wallet_transfers WHERE debit_account_id = v_round.escrow_account_id AND kind = 'refund') paid
     GROUP BY account_id
    HAVING sum(delta_minor) > 0
     ORDER BY account_id
  LOOP
    RETURN NEXT wallet_post(p_key || '#refund#' || v_paid_in.account_id, v_round.escrow_account_id,
      v_paid_in.account_id, v_paid_in.amount_minor, 'refund', p_round_id);
    v_posted := v_posted + 1;
  END LOOP;
  IF (SELECT balance_minor FROM wallet_accounts WHERE id = v_round.escrow_account_id) <> 0 THEN
    RAISE EXCEPTION 'refunding round % left its escrow non-zero', p_round_id USING ERRCODE = 'WL099';
  END IF;
  UPDATE wallet_rounds SET status = 'refunded', close_key = p_key, closed_at = now() WHERE id = p_round_id;
  IF v_posted = 0 THEN
    RETURN QUERY SELECT * FROM wallet_close_result(ARRAY[]::bigint[], false);
  END IF;
END
$$;
--> statement-breakpoint
-- Moves an open round to a new owner (or renews its own), with a fresh lease, as long as its lease has not run out:
-- an expired round belongs to recovery. Returns whether the caller now holds it.
CREATE FUNCTION wallet_hold_round_lease(p_round_id text, p_owner_node_id text, p_lease_ms integer) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE wallet_rounds SET owner_node_id = p_owner_node_id,
                           lease_expires_at = now() + p_lease_ms * interval '1 millisecond'
   WHERE id = p_round_id AND status = 'open' AND lease_expires_at > now();
  RETURN FOUND;
END
$$;
