import type { CrudInterface, DataTypes, OmitId, Table } from "brackets-manager";
import type { Id } from "brackets-model";
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";

/** A drizzle transaction (or the handle itself): every bracket read and write of one step goes through one. */
export type Executor = Pick<Db, "execute">;
export type Transaction = Parameters<Parameters<Db["transaction"]>[0]>[0];

type Row = Record<string, unknown>;

/**
 * brackets-manager's storage seam over Postgres: each of its tables (participant, stage, group, round, match,
 * match_game) is a set of JSON rows in tournament_bracket_rows, scoped to one tournament, with ids counted per table
 * from 0 as the library's reference storage does. Bound to a transaction, so that a bracket update commits or rolls
 * back with the money that goes with it.
 */
export class PostgresBracketStorage implements CrudInterface {
  readonly #tx: Executor;
  readonly #tournamentId: string;

  constructor(tx: Executor, tournamentId: string) {
    this.#tx = tx;
    this.#tournamentId = tournamentId;
  }

  insert<T extends Table>(table: T, value: OmitId<DataTypes[T]>): Promise<Id>;
  insert<T extends Table>(table: T, values: OmitId<DataTypes[T]>[]): Promise<boolean>;
  async insert<T extends Table>(table: T, value: OmitId<DataTypes[T]> | OmitId<DataTypes[T]>[]): Promise<Id | boolean> {
    const values = Array.isArray(value) ? value : [value];
    const rows = await this.#rows(sql`
      select coalesce(max(id) + 1, 0)::int as next from tournament_bracket_rows
       where tournament_id = ${this.#tournamentId} and table_name = ${table}`);
    const first = Number(rows[0]?.next ?? 0);
    for (const [index, item] of values.entries()) {
      const id = first + index;
      await this.#tx.execute(sql`
        insert into tournament_bracket_rows (tournament_id, table_name, id, data)
        values (${this.#tournamentId}, ${table}, ${id}, ${JSON.stringify({ ...item, id })}::jsonb)`);
    }
    return Array.isArray(value) ? true : first;
  }

  select<T extends Table>(table: T): Promise<DataTypes[T][] | null>;
  select<T extends Table>(table: T, id: Id): Promise<DataTypes[T] | null>;
  select<T extends Table>(table: T, filter: Partial<DataTypes[T]>): Promise<DataTypes[T][] | null>;
  async select<T extends Table>(
    table: T,
    arg?: Id | Partial<DataTypes[T]>,
  ): Promise<DataTypes[T] | DataTypes[T][] | null> {
    if (arg === undefined) {
      return (await this.#data(sql`true`, table)) as DataTypes[T][];
    }
    if (typeof arg === "number" || typeof arg === "string") {
      const found = await this.#data(sql`id = ${Number(arg)}`, table);
      return (found[0] as DataTypes[T] | undefined) ?? null;
    }
    return (await this.#data(sql`data @> ${JSON.stringify(arg)}::jsonb`, table)) as DataTypes[T][];
  }

  update<T extends Table>(table: T, id: Id, value: DataTypes[T]): Promise<boolean>;
  update<T extends Table>(table: T, filter: Partial<DataTypes[T]>, value: Partial<DataTypes[T]>): Promise<boolean>;
  async update<T extends Table>(
    table: T,
    arg: Id | Partial<DataTypes[T]>,
    value: DataTypes[T] | Partial<DataTypes[T]>,
  ): Promise<boolean> {
    if (typeof arg === "number" || typeof arg === "string") {
      const id = Number(arg);
      await this.#tx.execute(sql`
        update tournament_bracket_rows set data = ${JSON.stringify({ ...value, id })}::jsonb
         where tournament_id = ${this.#tournamentId} and table_name = ${table} and id = ${id}`);
      return true;
    }
    // A partial update merges the given fields into each matching row, as Object.assign would.
    const { id: _ignored, ...fields } = value as Row;
    await this.#tx.execute(sql`
      update tournament_bracket_rows set data = data || ${JSON.stringify(fields)}::jsonb
       where tournament_id = ${this.#tournamentId} and table_name = ${table}
         and data @> ${JSON.stringify(arg)}::jsonb`);
    return true;
  }

  delete<T extends Table>(table: T): Promise<boolean>;
  delete<T extends Table>(table: T, filter: Partial<DataTypes[T]>): Promise<boolean>;
  async delete<T extends Table>(table: T, filter?: Partial<DataTypes[T]>): Promise<boolean> {
    const where = filter === undefined ? sql`true` : sql`data @> ${JSON.stringify(filter)}::jsonb`;
    await this.#tx.execute(sql`
      delete from tournament_bracket_rows
       where tournament_id = ${this.#tournamentId} and table_name = ${table} and ${where}`);
    return true;
  }

  async #data(where: ReturnType<typeof sql>, table: Table): Promise<unknown[]> {
    const rows = await this.#rows(sql`
      select data from tournament_bracket_rows
       where tournament_id = ${this.#tournamentId} and table_name = ${table} and ${where} order by id`);
    return rows.map((row) => (typeof row.data === "string" ? JSON.parse(row.data) : row.data));
  }

  async #rows(statement: ReturnType<typeof sql>): Promise<Row[]> {
    return (await this.#tx.execute<Row>(statement)).rows;
  }
}
