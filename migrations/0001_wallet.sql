CREATE TABLE "wallet_accounts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wallet_accounts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"player_id" uuid,
	"round_id" text,
	"shard" smallint DEFAULT 0 NOT NULL,
	"balance_minor" bigint DEFAULT 0 NOT NULL,
	"last_top_up_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_accounts_kind_known" CHECK ("wallet_accounts"."kind" in ('mint', 'house', 'player', 'escrow', 'prize_pool')),
	CONSTRAINT "wallet_accounts_balance_non_negative" CHECK ("wallet_accounts"."kind" in ('mint', 'house') or "wallet_accounts"."balance_minor" >= 0),
	CONSTRAINT "wallet_accounts_player_owner" CHECK (("wallet_accounts"."kind" = 'player') = ("wallet_accounts"."player_id" is not null)),
	CONSTRAINT "wallet_accounts_round_owner" CHECK (("wallet_accounts"."kind" in ('escrow', 'prize_pool')) = ("wallet_accounts"."round_id" is not null)),
	CONSTRAINT "wallet_accounts_shard_range" CHECK ("wallet_accounts"."shard" >= 0 and "wallet_accounts"."shard" < 64 and ("wallet_accounts"."kind" in ('mint', 'house') or "wallet_accounts"."shard" = 0))
);
--> statement-breakpoint
CREATE TABLE "wallet_rounds" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"game" text NOT NULL,
	"owner_node_id" text NOT NULL,
	"lease_expires_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"escrow_account_id" bigint NOT NULL,
	"outcome" jsonb,
	"close_key" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "wallet_rounds_kind_known" CHECK ("wallet_rounds"."kind" in ('round', 'match', 'tournament')),
	CONSTRAINT "wallet_rounds_status_known" CHECK ("wallet_rounds"."status" in ('open', 'settled', 'refunded')),
	CONSTRAINT "wallet_rounds_closed_at" CHECK (("wallet_rounds"."status" = 'open') = ("wallet_rounds"."closed_at" is null))
);
--> statement-breakpoint
CREATE TABLE "wallet_transfers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wallet_transfers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"idempotency_key" text NOT NULL,
	"debit_account_id" bigint NOT NULL,
	"credit_account_id" bigint NOT NULL,
	"amount_minor" bigint NOT NULL,
	"kind" text NOT NULL,
	"round_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_transfers_amount_positive" CHECK ("wallet_transfers"."amount_minor" > 0),
	CONSTRAINT "wallet_transfers_distinct_accounts" CHECK ("wallet_transfers"."debit_account_id" <> "wallet_transfers"."credit_account_id"),
	CONSTRAINT "wallet_transfers_kind_known" CHECK ("wallet_transfers"."kind" in ('grant', 'stake', 'payout', 'refund', 'rake', 'entry_fee', 'prize'))
);
--> statement-breakpoint
ALTER TABLE "wallet_accounts" ADD CONSTRAINT "wallet_accounts_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_rounds" ADD CONSTRAINT "wallet_rounds_escrow_account_id_wallet_accounts_id_fk" FOREIGN KEY ("escrow_account_id") REFERENCES "public"."wallet_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_transfers" ADD CONSTRAINT "wallet_transfers_debit_account_id_wallet_accounts_id_fk" FOREIGN KEY ("debit_account_id") REFERENCES "public"."wallet_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_transfers" ADD CONSTRAINT "wallet_transfers_credit_account_id_wallet_accounts_id_fk" FOREIGN KEY ("credit_account_id") REFERENCES "public"."wallet_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_transfers" ADD CONSTRAINT "wallet_transfers_round_id_wallet_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."wallet_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_accounts_player_unique" ON "wallet_accounts" USING btree ("player_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_accounts_round_unique" ON "wallet_accounts" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_accounts_system_shard_unique" ON "wallet_accounts" USING btree ("kind","shard") WHERE "wallet_accounts"."kind" in ('mint', 'house');--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_rounds_close_key_unique" ON "wallet_rounds" USING btree ("close_key");--> statement-breakpoint
CREATE INDEX "wallet_rounds_open_lease" ON "wallet_rounds" USING btree ("lease_expires_at") WHERE "wallet_rounds"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_transfers_idempotency_key_unique" ON "wallet_transfers" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "wallet_transfers_debit_account" ON "wallet_transfers" USING btree ("debit_account_id","id");--> statement-breakpoint
CREATE INDEX "wallet_transfers_credit_account" ON "wallet_transfers" USING btree ("credit_account_id","id");