import { z } from 'zod';

const Percent = z.number().min(0).max(100);
/** More segments than this is a file pasted in the wrong field, not a credit policy. */
export const MAX_SEGMENT_THRESHOLDS = 500;
const BandRecord = <T extends z.ZodType>(value: T) => z.object({ A: value, B: value, C: value, D: value, E: value }).partial();

/** An organisation's risk settings; every part is optional and falls back to the defaults. */
export const OrganisationSettings = z.object({
  scoring: z.object({
    weights: z.object({ behaviour: z.number().min(0).max(1), financial: z.number().min(0).max(1), external: z.number().min(0).max(1) })
      .refine((w) => w.behaviour + w.financial + w.external > 0, 'at least one weight must be above 0'),
  }).partial().optional(),
  credit: z.object({
    thresholds: z.array(z.number().int().min(1).max(200)).min(1).max(8).describe('% of the limit used that raise an alert (default 50, 70, 90, 100)'),
    segmentThresholds: z.record(z.string().max(100), z.array(z.number().int().min(1).max(200)).min(1).max(8))
      .refine((segments) => Object.keys(segments).length <= MAX_SEGMENT_THRESHOLDS, `at most ${MAX_SEGMENT_THRESHOLDS} segments have their own thresholds`)
      .describe('Thresholds for a customer segment, overriding the organisation\'s'),
    maxOverdueDays: z.number().int().min(0).max(365).describe('An invoice overdue beyond this puts orders on hold (default 60)'),
    requireLimit: z.boolean().describe('Former name of noLimit "refuse": refuse orders of customers without any limit (default false)'),
    noLimit: z.enum(['accept', 'hold', 'refuse', 'band']).describe('Order checks of a customer without any limit: accept, hold for review, refuse, or measure against the default limit of its risk band (defaultLimits); default accept, or refuse when requireLimit'),
    defaultLimits: BandRecord(z.string().regex(/^\d{1,15}(\.\d{1,3})?$/, 'a decimal amount such as 10000.00')).describe('With noLimit "band": the default limit by risk band, in the organisation currency; a band without one holds the order'),
    reservationDays: z.number().int().min(1).max(90).describe('Days an accepted order check reserves its amount in exposure until its order arrives (default 7)'),
    deductInsured: z.boolean().describe('Exposure net of the insured part (default false: gross)'),
    limitPolicy: BandRecord(z.object({ equityPercent: Percent, revenuePercent: Percent.optional() }).nullable()).describe('Share of equity / turnover granted by band; null = no credit'),
  }).partial().optional(),
  collections: z.object({
    promiseGraceDays: z.number().int().min(0).max(30).describe('Days after a promised date in which a payment still keeps the promise (default 3)'),
  }).partial().optional(),
  monitoring: z.object({
    enabled: z.boolean().describe('Check providers on a schedule (default true)'),
    refreshDays: BandRecord(z.number().int().min(1).max(365)).describe('Days between two checks by band (default A/B 30, C 7, D/E 1)'),
  }).partial().optional(),
});
export type OrganisationSettings = z.infer<typeof OrganisationSettings>;
