// A procedure whose whole work is one core service call: core's function gets
// the services, the signed-in actor and the validated input, and decides
// everything (who may, what changes). Routers stay transport only.
import type { Actor } from '@flowpos/core';
import type { ApiServices } from '../trpc.ts';

/** The resolver of such a procedure, for `.query(...)` or `.mutation(...)`. */
export const serviceCall =
  <Input, Result>(run: (services: ApiServices, actor: Actor, input: Input) => Result) =>
  ({ ctx, input }: { ctx: { services: ApiServices; actor: Actor }; input: Input }): Result =>
    run(ctx.services, ctx.actor, input);

/** A read of one business's data (input.businessId): core's function gets the database. */
export const businessRead =
  <Result>(run: (db: ApiServices['db'], actor: Actor, businessId: string) => Result) =>
  ({
    ctx,
    input,
  }: {
    ctx: { services: ApiServices; actor: Actor };
    input: { businessId: string };
  }): Result =>
    run(ctx.services.db, ctx.actor, input.businessId);
