// Businesses the signed-in person can act for (all of them for operators), and
// a business's settings (time zone, backorders): core checks and audits.
import {
  businessesForActor,
  getBusinessSettings,
  timeZoneNames,
  updateBusinessSettings,
  updateBusinessSettingsInput,
} from '@flowpos/core';
import { authedProcedure, createTRPCRouter, businessProcedure } from '../trpc.ts';

export const businessesRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => businessesForActor(ctx.services.db, ctx.actor)),

  settings: businessProcedure.query(({ ctx, input }) =>
    getBusinessSettings(ctx.services.db, ctx.actor, input.businessId),
  ),

  timeZones: authedProcedure.query(() => timeZoneNames()),

  updateSettings: businessProcedure
    .input(updateBusinessSettingsInput)
    .mutation(({ ctx, input }) => updateBusinessSettings(ctx.services, ctx.actor, input)),
});
