CREATE TABLE "match_replays" (
	"match_id" text PRIMARY KEY NOT NULL,
	"game" text NOT NULL,
	"round_id" text NOT NULL,
	"player0_id" text NOT NULL,
	"player1_id" text NOT NULL,
	"stake_minor" bigint NOT NULL,
	"winner_seat" smallint NOT NULL,
	"end_reason" text NOT NULL,
	"steps" integer NOT NULL,
	"format_version" smallint NOT NULL,
	"data" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "match_replays_finished_at" ON "match_replays" USING btree ("finished_at");