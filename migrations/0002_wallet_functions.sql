-- The wallet's ledger engine. Each money-moving operation is one function so that it costs one round trip
-- and runs as one transaction. Rules every function follows:
--   * idempotency first: a key already used returns the first result (replayed = true) when the request is the
--     same, and raises WL001 when it differs;
--   * lock order: the round row first (key share to stake, update to close), then every account the operation
--     touches in ascending id order (wallet_lock_accounts, or wallet_post's ordered updates for two accounts), so
--     concurrent operations never deadlock;
--   * balances change in the same transaction as the transfer rows; wallet_accounts_balance_non_negative refuses
--     a player, escrow or prize pool going below zero (mapped to INSUFFICIENT_FUNDS).
-- Error codes (SQLSTATE), mapped to WalletError codes in src/wallet/errors.ts:
--   WL001 idempotency conflict   WL002 round not found        WL003 round closed
--   WL004 wallet not found       WL005 settlement mismatch
--   WL007 top-up not needed      WL008 top-up cooldown        WL009 round exists (different registration)
--   WL010 no outcome             WL099 ledger invariant broken

-- The mint and the house, each as 64 shards (see SYSTEM_ACCOUNT_SHARDS in src/db/schema/wallet.ts).
INSERT INTO wallet_accounts (kind, shard)
SELECT kind, shard FROM unnest(ARRAY['mint', 'house']) AS kind, generate_series(0, 63) AS shard
ORDER BY kind, shard;
--> statement-breakpoint
CREATE TYPE wallet_posting AS (
  id bigint,
  idempotency_key text,
  kind text,
  debit_account_id bigint,
  credit_account_id bigint,
  amount_minor bigint,
  round_id text,
  created_at timestamptz,
  player_id uuid,
  player_balance_minor bigint,
  replayed boolean
);
--> statement-breakpoint
-- (Helpers are plpgsql rather than SQL functions: plpgsql caches its plans, SQL functions plan on every call.)
-- Transfers as the caller sees them: with the player on either side and that player's balance now.
CREATE FUNCTION wallet_postings(p_transfer_ids bigint[], p_replayed boolean) RETURNS SETOF wallet_posting
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_transfer_id bigint;
BEGIN
  -- One primary-key lookup per transfer: a join over an array would be planned once per session, possibly as a scan.
  FOREACH v_transfer_id IN ARRAY coalesce((SELECT array_agg(id ORDER BY id) FROM unnest(p_transfer_ids) AS id),
                                         ARRAY[]::bigint[]) LOOP
    RETURN QUERY
    SELECT t.id, t.idempotency_key, t.kind, t.debit_account_id, t.credit_account_id, t.amount_minor, t.round_id,
           t.created_at,
           CASE WHEN c.kind = 'player' THEN c.player_id ELSE d.player_id END,
           CASE WHEN c.kind = 'player' THEN c.balance_minor WHEN d.kind = 'player' THEN d.balance_minor END,
           p_replayed
      FROM wallet_transfers t
      JOIN wallet_accounts d ON d.id = t.debit_account_id
      JOIN wallet_accounts c ON c.id = t.credit_account_id
     WHERE t.id = v_transfer_id;
  END LOOP;
END
$$;
--> statement-breakpoint
-- What closing a round returns: its transfers, or one row of NULLs carrying only the replayed flag when the round
-- was closed without moving money (nobody staked), so that a caller can still tell a replay from a first close.
CREATE FUNCTION wallet_close_result(p_transfer_ids bigint[], p_replayed boolean) RETURNS SETOF wallet_posting
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF cardinality(p_transfer_ids) = 0 THEN
    RETURN NEXT ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, p_replayed)::wallet_posting;
    RETURN;
  END IF;
  RETURN QUERY SELECT * FROM wallet_postings(p_transfer_ids, p_replayed);
END
$$;
--> statement-breakpoint
CREATE FUNCTION wallet_lock_accounts(p_account_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_account_id bigint;
BEGIN
  -- Ascending id order, one primary-key lookup each, so that the order is the global one whatever the plan.
  FOREACH v_account_id IN ARRAY coalesce((SELECT array_agg(DISTINCT id ORDER BY id) FROM unnest(p_account_ids) AS id),
                                        ARRAY[]::bigint[]) LOOP
    PERFORM 1 FROM wallet_accounts WHERE id = v_account_id FOR UPDATE;
  END LOOP;
END
$$;
--> statement-breakpoint
-- Posts one transfer and returns it as the caller sees it. The caller has checked that the key is unused and, when
-- it moves more than two accounts, locked them all first.
CREATE FUNCTION wallet_post(p_key text, p_debit bigint, p_credit bigint, p_amount bigint, p_kind text, p_round_id text)
RETURNS wallet_posting
LANGUAGE plpgsql AS $$
DECLARE
  v_posting wallet_posting;
  v_debit wallet_accounts;
  v_credit wallet_accounts;
BEGIN
  INSERT INTO wallet_transfers (idempotency_key, debit_account_id, credit_account_id, amount_minor, kind, round_id)
  VALUES (p_key, p_debit, p_credit, p_amount, p_kind, p_round_id)
  RETURNING id, idempotency_key, kind, debit_account_id, credit_account_id, amount_minor, round_id, created_at
  INTO v_posting.id, v_posting.idempotency_key, v_posting.kind, v_posting.debit_account_id,
       v_posting.credit_account_id, v_posting.amount_minor, v_posting.round_id, v_posting.created_at;
  -- Lower account id first: a caller that has not locked the two accounts still takes them in the global order.
  -- A debit below zero where that is not allowed fails wallet_accounts_balance_non_negative (INSUFFICIENT_FUNDS).
  IF p_debit < p_credit THEN
    UPDATE wallet_accounts SET balance_minor = balance_minor - p_amount WHERE id = p_debit RETURNING * INTO v_debit;
    UPDATE wallet_accounts SET balance_minor = balance_minor + p_amount WHERE id = p_credit RETURNING * INTO v_credit;
  ELSE
    UPDATE wallet_accounts SET balance_minor = balance_minor + p_amount WHERE id = p_credit RETURNING * INTO v_credit;
    UPDATE wallet_accounts SET balance_minor = balance_minor - p_amount WHERE id = p_debit RETURNING * INTO v_debit;
  END IF;
  IF v_credit.kind = 'player' THEN
    v_posting.player_id := v_credit.player_id;
    v_posting.player_balance_minor := v_credit.balance_minor;
  ELSIF v_debit.kind = 'player' THEN
    v_posting.player_id := v_debit.player_id;
    v_posting.player_balance_minor := v_debit.balance_minor;
  END IF;
  v_posting.replayed := false;
  RETURN v_posting;
END
$$;
--> statement-breakpoint
-- Posts several transfers at once (the legs of a settlement or a refund): one INSERT for the rows, then each
-- account's net change applied once, so an escrow goes straight from what it held to zero. The caller has
-- checked the keys and locked every account involved (wallet_lock_accounts).
CREATE FUNCTION wallet_post_legs(p_round_id text, p_keys text[], p_debits bigint[], p_credits bigint[],
                                 p_amounts bigint[], p_kinds text[]) RETURNS SETOF wallet_posting
LANGUAGE plpgsql AS $$
DECLARE
  v_transfer_ids bigint[];
  v_net record;
BEGIN
  WITH posted AS (
    INSERT INTO wallet_transfers (idempotency_key, debit_account_id, credit_account_id, amount_minor, kind, round_id)
    SELECT leg.key, leg.debit, leg.credit, leg.amount, leg.kind, p_round_id
      FROM unnest(p_keys, p_debits, p_credits, p_amounts, p_kinds) AS leg(key, debit, credit, amount, kind)
    RETURNING id
  )
  SELECT array_agg(id) INTO v_transfer_ids FROM posted;
  -- One UPDATE per account, by primary key: a join against the whole accounts table would be planned as a scan.
  FOR v_net IN
    SELECT change.account_id, sum(change.delta_minor)::bigint AS delta_minor
      FROM (SELECT debit.account_id, -debit.amount AS delta_minor
              FROM unnest(p_debits, p_amounts) AS debit(account_id, amount)
            UNION ALL
            SELECT credit.account_id, credit.amount
              FROM unnest(p_credits, p_amounts) AS credit(account_id, amount)) change
     GROUP BY change.account_id
     ORDER BY change.account_id
  LOOP
    UPDATE wallet_accounts SET balance_minor = balance_minor + v_net.delta_minor WHERE id = v_net.account_id;
  END LOOP;
  RETURN QUERY SELECT * FROM wallet_postings(coalesce(v_transfer_ids, ARRAY[]::bigint[]), false);
END
$$;
--> statement-breakpoint
-- The transfer already posted under a single-transfer key, or NULL; raises WL001 when it differs from the request.
CREATE FUNCTION wallet_replayed_transfer(p_key text, p_debit bigint, p_credit bigint, p_amount bigint, p_kind text,
                                         p_round_id text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_transfer wallet_transfers;
BEGIN
  SELECT * INTO v_transfer FROM wallet_transfers WHERE idempotency_key = p_key;
  IF NOT FOUND THEN
    IF EXISTS (SELECT 1 FROM wallet_rounds WHERE close_key = p_key) THEN
      RAISE EXCEPTION 'idempotency key % was used to close a round', p_key USING ERRCODE = 'WL001';
    END IF;
    RETURN NULL;
  END IF;
  IF (v_transfer.debit_account_id, v_transfer.credit_account_id, v_transfer.amount_minor, v_transfer.kind,
      v_transfer.round_id) IS DISTINCT FROM (p_debit, p_credit, p_amount, p_kind, p_round_id) THEN
    RAISE EXCEPTION 'idempotency key % was used for a different transfer (% of % minor units)', p_key,
      v_transfer.kind, v_transfer.amount_minor USING ERRCODE = 'WL001';
  END IF;
  RETURN v_transfer.id;
END
$$;
--> statement-breakpoint
CREATE FUNCTION wallet_player_account(p_player_id uuid) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_account_id bigint;
BEGIN
  SELECT id INTO v_account_id FROM wallet_accounts WHERE player_id = p_player_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'player % has no wallet', p_player_id USING ERRCODE = 'WL004';
  END IF;
  RETURN v_account_id;
END
$$;
--> statement-breakpoint
-- The shard of the mint or the house that serves a player or a round: spreading them keeps concurrent grants and
-- settlements from queueing on a single row lock.
CREATE FUNCTION wallet_system_account(p_kind text, p_routing_key text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT id FROM wallet_accounts WHERE kind = p_kind AND shard = (hashtext(p_routing_key) & 2147483647) % 64);
END
$$;
--> statement-breakpoint
-- Opens a player's wallet (idempotent) and returns its account id.
CREATE FUNCTION wallet_open_player(p_player_id uuid) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_account_id bigint;
BEGIN
  INSERT INTO wallet_accounts (kind, player_id) VALUES ('player', p_player_id)
  ON CONFLICT (player_id) DO NOTHING
  RETURNING id INTO v_account_id;
  IF v_account_id IS NULL THEN
    v_account_id := wallet_player_account(p_player_id);
  END IF;
  RETURN v_account_id;
END
$$;
--> statement-breakpoint
-- Demo credit: mint -> player.
CREATE FUNCTION wallet_grant(p_key text, p_player_id uuid, p_amount bigint) RETURNS SETOF wallet_posting
LANGUAGE plpgsql AS $$
DECLARE
  v_mint bigint := wallet_system_account('mint', p_player_id::text);
  v_player bigint := wallet_player_account(p_player_id);
  v_transfer_id bigint;
BEGIN
  v_transfer_id := wallet_replayed_transfer(p_key, v_mint, v_player, p_amount, 'grant', NULL);
  IF v_transfer_id IS NOT NULL THEN
    RETURN QUERY SELECT * FROM wallet_postings(ARRAY[v_transfer_id], true);
    RETURN;
  END IF;
  PERFORM wallet_lock_accounts(ARRAY[v_mint, v_player]);
  RETURN NEXT wallet_post(p_key, v_mint, v_player, p_amount, 'grant', NULL);
END
$$;
--> statement-breakpoint
-- A grant for a broke player, at most once per cooldown. The key names the top-up that follows the previous one,
-- so two racing requests cannot both pass.
CREATE FUNCTION wallet_top_up(p_player_id uuid, p_amount bigint, p_threshold bigint, p_cooldown_s integer)
RETURNS SETOF wallet_posting
LANGUAGE plpgsql AS $$
DECLARE
  v_mint bigint := wallet_system_account('mint', p_player_id::text);
  v_player bigint := wallet_player_account(p_player_id);
  v_account wallet_accounts;
  v_key text;
BEGIN
  PERFORM wallet_lock_accounts(ARRAY[v_mint, v_player]);
  SELECT * INTO v_account FROM wallet_accounts WHERE id = v_player;
  IF v_account.balance_minor >= p_threshold THEN
    RAISE EXCEPTION 'balance % is not below the top-up threshold %', v_account.balance_minor, p_threshold
      USING ERRCODE = 'WL007';
  END IF;
  IF v_account.last_top_up_at IS NOT NULL
     AND v_account.last_top_up_at + make_interval(secs => p_cooldown_s) > now() THEN
    RAISE EXCEPTION 'next top-up in % seconds',
      ceil(extract(epoch FROM v_account.last_top_up_at + make_interval(secs => p_cooldown_s) - now()))
      USING ERRCODE = 'WL008';
  END IF;
  v_key := 'wallet#top-up#' || p_player_id || '#'
           || coalesce((extract(epoch FROM v_account.last_top_up_at) * 1000000)::bigint::text, 'first');
  RETURN NEXT wallet_post(v_key, v_mint, v_player, p_amount, 'grant', NULL);
  UPDATE wallet_accounts SET last_top_up_at = now() WHERE id = v_player;
END
$$;
--> statement-breakpoint
-- Registers a round (or match, or tournament) with its escrow account and the owner's first lease.
CREATE FUNCTION wallet_open_round(p_round_id text, p_kind text, p_game text, p_owner_node_id text, p_lease_ms integer)
RETURNS SETOF wallet_rounds
LANGUAGE plpgsql AS $$
DECLARE
  v_round wallet_rounds;
  v_escrow bigint;
BEGIN
  SELECT * INTO v_round FROM wallet_rounds WHERE id = p_round_id;
  IF FOUND THEN
    IF (v_round.kind, v_round.game, v_round.owner_node_id) IS DISTINCT FROM (p_kind, p_game, p_owner_node_id) THEN
      RAISE EXCEPTION 'round % is already registered as a % of % owned by %', p_round_id, v_round.kind,
        v_round.game, v_round.owner_node_id USING ERRCODE = 'WL009';
    END IF;
    RETURN NEXT v_round;
    RETURN;
  END IF;
  INSERT INTO wallet_accounts (kind, round_id)
  VALUES (CASE WHEN p_kind = 'tournament' THEN 'prize_pool' ELSE 'escrow' END, p_round_id)
  RETURNING id INTO v_escrow;
  INSERT INTO wallet_rounds (id, kind, game, owner_node_id, lease_expires_at, escrow_account_id)
  VALUES (p_round_id, p_kind, p_game, p_owner_node_id, now() + p_lease_ms * interval '1 millisecond', v_escrow)
  RETURNING * INTO v_round;
  RETURN NEXT v_round;
END
$$;
--> statement-breakpoint
-- Player -> escrow (a stake) or player -> prize pool (an entry fee).
CREATE FUNCTION wallet_stake(p_key text, p_round_id text, p_player_id uuid, p_amount bigint)
RETURNS SETOF wallet_posting
LANGUAGE plpgsql AS $$
DECLARE
  v_player bigint;
  v_round wallet_rounds;
  v_kind text;
  v_existing wallet_transfers;
BEGIN
  -- The hot path of every game, so written out in full: four lookups by key, one insert, two updates.
  SELECT id INTO v_player FROM wallet_accounts WHERE player_id = p_player_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'player % has no wallet', p_player_id USING ERRCODE = 'WL004';
  END IF;
  SELECT * INTO v_round FROM wallet_rounds WHERE id = p_round_id FOR KEY SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'round % is not registered', p_round_id USING ERRCODE = 'WL002';
  END IF;
  v_kind := CASE WHEN v_round.kind = 'tournament' THEN 'entry_fee' ELSE 'stake' END;
  SELECT * INTO v_existing FROM wallet_transfers WHERE idempotency_key = p_key;
  IF FOUND THEN
    IF (v_existing.debit_account_id, v_existing.credit_account_id, v_existing.amount_minor, v_existing.kind,
        v_existing.round_id) IS DISTINCT FROM (v_player, v_round.escrow_account_id, p_amount, v_kind, p_round_id) THEN
      RAISE EXCEPTION 'idempotency key % was used for a different transfer (% of % minor units)', p_key,
        v_existing.kind, v_existing.amount_minor USING ERRCODE = 'WL001';
    END IF;
    RETURN QUERY SELECT * FROM wallet_postings(ARRAY[v_existing.id], true);
    RETURN;
  END IF;
  IF v_round.status <> 'open' THEN
    RAISE EXCEPTION 'round % is %', p_round_id, v_round.status USING ERRCODE = 'WL003';
  END IF;
  IF v_round.outcome IS NOT NULL THEN
    RAISE EXCEPTION 'round % has its outcome recorded and takes no more stakes', p_round_id USING ERRCODE = 'WL003';
  END IF;
  IF v_round.lease_expires_at <= now() THEN
    RAISE EXCEPTION 'round % lost its lease and is awaiting recovery', p_round_id USING ERRCODE = 'WL003';
  END IF;
  IF EXISTS (SELECT 1 FROM wallet_rounds WHERE close_key = p_key) THEN
    RAISE EXCEPTION 'idempotency key % was used to close a round', p_key USING ERRCODE = 'WL001';
  END IF;
  RETURN NEXT wallet_post(p_key, v_player, v_round.escrow_account_id, p_amount, v_kind, p_round_id);
END
$$;
--> statement-breakpoint
-- Checks an outcome against the escrow it must empty; the caller holds the round and the escrow locked.
-- Outcome: {"payouts": [{"player_id": uuid, "amount_minor": "n"}], "house_minor": "n", "rake_minor": "n"};
-- a negative house_minor is the house covering what the escrow lacks (a house-banked game the players won).
CREATE FUNCTION wallet_check_outcome(p_round wallet_rounds, p_outcome jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_escrow_balance bigint;
  v_payouts_minor numeric;
  v_payout record;
  v_total_minor numeric;
BEGIN
  v_payouts_minor := 0;
  FOR v_payout IN
    SELECT e.player_id, e.amount_minor
      FROM jsonb_to_recordset(p_outcome -> 'payouts') AS e(player_id uuid, amount_minor bigint)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM wallet_accounts WHERE player_id = v_payout.player_id) THEN
      RAISE EXCEPTION 'the outcome pays player % who has no wallet', v_payout.player_id USING ERRCODE = 'WL004';
    END IF;
    v_payouts_minor := v_payouts_minor + v_payout.amount_minor;
  END LOOP;
  SELECT balance_minor INTO v_escrow_balance FROM wallet_accounts WHERE id = p_round.escrow_account_id;
  v_total_minor := v_payouts_minor + (p_outcome ->> 'house_minor')::bigint + (p_outcome ->> 'rake_minor')::bigint;
  IF v_total_minor <> v_escrow_balance THEN
    RAISE EXCEPTION 'the outcome distributes % minor units but the escrow of round % holds %', v_total_minor,
      p_round.id, v_escrow_balance USING ERRCODE = 'WL005';
  END IF;
END
$$;
--> statement-breakpoint
-- Records the outcome without moving money: the round takes no more stakes and recovery will settle it.
CREATE FUNCTION wallet_record_outcome(p_key text, p_round_id text, p_outcome jsonb) RETURNS SETOF wallet_rounds
LANGUAGE plpgsql AS $$
DECLARE
  v_round wallet_rounds;
BEGIN
  SELECT * INTO v_round FROM wallet_rounds WHERE id = p_round_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'round % is not registered', p_round_id USING ERRCODE = 'WL002';
  END IF;
  IF v_round.close_key = p_key THEN
    IF v_round.outcome IS DISTINCT FROM p_outcome THEN
      RAISE EXCEPTION 'idempotency key % recorded a different outcome for round %', p_key, p_round_id
        USING ERRCODE = 'WL001';
    END IF;
    RETURN NEXT v_round;
    RETURN;
  END IF;
  IF v_round.status <> 'open' OR v_round.outcome IS NOT NULL THEN
    RAISE EXCEPTION 'round % is % with its outcome already recorded', p_round_id, v_round.status
      USING ERRCODE = 'WL003';
  END IF;
  IF EXISTS (SELECT 1 FROM wallet_transfers WHERE idempotency_key = p_key) THEN
    RAISE EXCEPTION 'idempotency key % was used for a transfer', p_key USING ERRCODE = 'WL001';
  END IF;
  PERFORM wallet_lock_accounts(ARRAY[v_round.escrow_account_id]);
  PERFORM wallet_check_outcome(v_round, p_outcome);
  UPDATE wallet_rounds SET outcome = p_outcome, close_key = p_key WHERE id = p_round_id RETURNING * INTO v_round;
  RETURN NEXT v_round;
END
$$;
--> statement-breakpoint
-- Escrow -> winners (payout, or prize for a tournament), escrow -> house (payout and rake), leaving the escrow at
-- zero. p_outcome NULL settles the outcome recorded earlier (how recovery finishes a round).
CREATE FUNCTION wallet_settle(p_key text, p_round_id text, p_outcome jsonb) RETURNS SETOF wallet_posting
LANGUAGE plpgsql AS $$
DECLARE
  v_round wallet_rounds;
  v_outcome jsonb;
  v_house bigint := wallet_system_account('house', p_round_id);
  v_house_minor bigint;
  v_rake_minor bigint;
  v_payout_kind text;
  v_payout_accounts bigint[];
  v_payout_players uuid[];
  v_payout_amounts bigint[];
  v_payouts_minor numeric;
  v_escrow_balance bigint;
  v_accounts bigint[];
  v_keys text[] := ARRAY[]::text[];
  v_debits bigint[] := ARRAY[]::bigint[];
  v_credits bigint[] := ARRAY[]::bigint[];
  v_amounts bigint[] := ARRAY[]::bigint[];
  v_kinds text[] := ARRAY[]::text[];
  v_payout record;
  v_account bigint;
BEGIN
  SELECT * INTO v_round FROM wallet_rounds WHERE id = p_round_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'round % is not registered', p_round_id USING ERRCODE = 'WL002';
  END IF;
  IF v_round.close_key = p_key AND v_round.status = 'settled' THEN
    IF p_outcome IS NOT NULL AND p_outcome IS DISTINCT FROM v_round.outcome THEN
      RAISE EXCEPTION 'idempotency key % settled round % with a different outcome', p_key, p_round_id
        USING ERRCODE = 'WL001';
    END IF;
    RETURN QUERY SELECT * FROM wallet_close_result(
      ARRAY(SELECT id FROM wallet_transfers
             WHERE (debit_account_id = v_round.escrow_account_id OR credit_account_id = v_round.escrow_account_id)
               AND idempotency_key LIKE '%#settle#%'), true);
    RETURN;
  END IF;
  IF v_round.status <> 'open' THEN
    RAISE EXCEPTION 'round % is already %', p_round_id, v_round.status USING ERRCODE = 'WL003';
  END IF;
  IF v_round.outcome IS NOT NULL THEN
    IF v_round.close_key <> p_key OR (p_outcome IS NOT NULL AND p_outcome IS DISTINCT FROM v_round.outcome) THEN
      RAISE EXCEPTION 'round % has a different outcome recorded under key %', p_round_id, v_round.close_key
        USING ERRCODE = 'WL001';
    END IF;
    v_outcome := v_round.outcome;
  ELSE
    IF p_outcome IS NULL THEN
      RAISE EXCEPTION 'round % has no recorded outcome to settle', p_round_id USING ERRCODE = 'WL010';
    END IF;
    IF EXISTS (SELECT 1 FROM wallet_transfers WHERE idempotency_key = p_key)
       OR EXISTS (SELECT 1 FROM wallet_rounds WHERE close_key = p_key) THEN
      RAISE EXCEPTION 'idempotency key % was already used', p_key USING ERRCODE = 'WL001';
    END IF;
    v_outcome := p_outcome;
  END IF;

  v_house_minor := (v_outcome ->> 'house_minor')::bigint;
  v_rake_minor := (v_outcome ->> 'rake_minor')::bigint;
  v_payout_kind := CASE WHEN v_round.kind = 'tournament' THEN 'prize' ELSE 'payout' END;
  v_payout_accounts := ARRAY[]::bigint[];
  v_payout_players := ARRAY[]::uuid[];
  v_payout_amounts := ARRAY[]::bigint[];
  v_payouts_minor := 0;
  FOR v_payout IN
    SELECT e.player_id, e.amount_minor
      FROM jsonb_to_recordset(v_outcome -> 'payouts') AS e(player_id uuid, amount_minor bigint)
     ORDER BY e.player_id
  LOOP
    v_account := NULL;
    SELECT id INTO v_account FROM wallet_accounts WHERE player_id = v_payout.player_id;
    IF v_account IS NULL THEN
      RAISE EXCEPTION 'the outcome pays player % who has no wallet', v_payout.player_id USING ERRCODE = 'WL004';
    END IF;
    v_payout_accounts := v_payout_accounts || v_account;
    v_payout_players := v_payout_players || v_payout.player_id;
    v_payout_amounts := v_payout_amounts || v_payout.amount_minor;
    v_payouts_minor := v_payouts_minor + v_payout.amount_minor;
  END LOOP;
  v_accounts := coalesce(v_payout_accounts, ARRAY[]::bigint[]) || v_round.escrow_account_id;
  IF v_house_minor <> 0 OR v_rake_minor <> 0 THEN
    v_accounts := v_accounts || v_house;
  END IF;
  PERFORM wallet_lock_accounts(v_accounts);
  SELECT balance_minor INTO v_escrow_balance FROM wallet_accounts WHERE id = v_round.escrow_account_id;
  IF v_payouts_minor + v_house_minor + v_rake_minor <> v_escrow_balance THEN
    RAISE EXCEPTION 'the outcome distributes % minor units but the escrow of round % holds %',
      v_payouts_minor + v_house_minor + v_rake_minor, p_round_id, v_escrow_balance USING ERRCODE = 'WL005';
  END IF;

  IF v_house_minor < 0 THEN
    -- The house covers what the escrow lacks to pay the winners.
    v_keys := v_keys || (p_key || '#settle#house-cover');
    v_debits := v_debits || v_house;
    v_credits := v_credits || v_round.escrow_account_id;
    v_amounts := v_amounts || -v_house_minor;
    v_kinds := v_kinds || 'stake'::text;
  END IF;
  FOR i IN 1 .. coalesce(cardinality(v_payout_accounts), 0) LOOP
    v_keys := v_keys || (p_key || '#settle#' || v_payout_players[i]);
    v_debits := v_debits || v_round.escrow_account_id;
    v_credits := v_credits || v_payout_accounts[i];
    v_amounts := v_amounts || v_payout_amounts[i];
    v_kinds := v_kinds || v_payout_kind;
  END LOOP;
  IF v_house_minor > 0 THEN
    v_keys := v_keys || (p_key || '#settle#house');
    v_debits := v_debits || v_round.escrow_account_id;
    v_credits := v_credits || v_house;
    v_amounts := v_amounts || v_house_minor;
    v_kinds := v_kinds || 'payout'::text;
  END IF;
  IF v_rake_minor > 0 THEN
    v_keys := v_keys || (p_key || '#settle#rake');
    v_debits := v_debits || v_round.escrow_account_id;
    v_credits := v_credits || v_house;
    v_amounts := v_amounts || v_rake_minor;
    v_kinds := v_kinds || 'rake'::text;
  END IF;
  RETURN QUERY SELECT * FROM wallet_post_legs(p_round_id, v_keys, v_debits, v_credits, v_amounts, v_kinds);
  IF (SELECT balance_minor FROM wallet_accounts WHERE id = v_round.escrow_account_id) <> 0 THEN
    RAISE EXCEPTION 'settling round % left its escrow non-zero', p_round_id USING ERRCODE = 'WL099';
  END IF;
  UPDATE wallet_rounds SET status = 'settled', outcome = v_outcome, close_key = p_key, closed_at = now()
   WHERE id = p_round_id;
  IF cardinality(v_keys) = 0 THEN
    RETURN QUERY SELECT * FROM wallet_close_result(ARRAY[]::bigint[], false);
  END IF;
END
$$;
--> statement-breakpoint
-- Escrow -> every account that paid into it, what it paid. Only for a round without a recorded outcome.
CREATE FUNCTION wallet_refund(p_key text, p_round_id text) RETURNS SETOF wallet_posting
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
      ARRAY(SELECT id FROM wallet_transfers WHERE debit_account_id = v_round.escrow_account_id AND kind = 'refund'),
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
    SELECT debit_account_id AS account_id, sum(amount_minor)::bigint AS amount_minor
      FROM wallet_transfers
     WHERE credit_account_id = v_round.escrow_account_id
     GROUP BY debit_account_id
     ORDER BY debit_account_id
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
-- Closes one round whose owner stopped renewing its lease: settles a recorded outcome, refunds otherwise.
-- Returns what it did: 'settled', 'refunded', or 'skipped' (closed, lease renewed, or being handled elsewhere).
CREATE FUNCTION wallet_recover_round(p_round_id text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_round wallet_rounds;
BEGIN
  SELECT * INTO v_round FROM wallet_rounds WHERE id = p_round_id FOR UPDATE SKIP LOCKED;
  IF NOT FOUND OR v_round.status <> 'open' OR v_round.lease_expires_at > now() THEN
    RETURN 'skipped';
  END IF;
  IF v_round.outcome IS NOT NULL THEN
    PERFORM wallet_settle(v_round.close_key, p_round_id, NULL);
    RETURN 'settled';
  END IF;
  PERFORM wallet_refund('wallet#recovery-refund#' || p_round_id, p_round_id);
  RETURN 'refunded';
END
$$;
