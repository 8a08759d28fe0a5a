// The signed-in person: who they are and where they belong.
import { authedProcedure, createTRPCRouter } from '../trpc.ts';

export const meRouter = createTRPCRouter({
  get: authedProcedure.query(({ ctx }) => {
    const { userId, email, isPlatformOperator, memberships } = ctx.actor;
    return { userId, email, isPlatformOperator, memberships };
  }),
});
