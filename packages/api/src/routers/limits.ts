// Per-credential limits (calls per minute, daily caps on proposals): thin
// adapters over core's limits-admin, which decides who may read and change them.
import { z } from 'zod';
import {
  businessLimitsInput,
  getBusinessLimits,
  getGrantLimits,
  getKeyLimits,
  grantLimitsInput,
  keyLimitsInput,
  setBusinessLimits,
  setGrantLimits,
  setKeyLimits,
} from '@flowpos/core';
import { authedProcedure, businessProcedure, createTRPCRouter } from '../trpc.ts';
import { businessRead, serviceCall } from './service-call.ts';

export const limitsRouter = createTRPCRouter({
  /** The business's defaults for its keys and connected apps. */
  business: businessProcedure.query(businessRead(getBusinessLimits)),

  setBusiness: authedProcedure.input(businessLimitsInput).mutation(serviceCall(setBusinessLimits)),

  /** A key's own limits, the defaults, what applies, and today's use of each cap. */
  key: authedProcedure
    .input(z.object({ keyId: z.uuid() }))
    .query(({ ctx, input }) => getKeyLimits(ctx.services, ctx.actor, input.keyId)),

  setKey: authedProcedure.input(keyLimitsInput).mutation(serviceCall(setKeyLimits)),

  grant: authedProcedure
    .input(z.object({ grantId: z.string().min(1).max(200) }))
    .query(({ ctx, input }) => getGrantLimits(ctx.services, ctx.actor, input.grantId)),

  setGrant: authedProcedure.input(grantLimitsInput).mutation(serviceCall(setGrantLimits)),
});
