import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, query } from './client';
import type { Aging, Behaviour, Customer, CustomerSummary, Invoice, Kpis, Me, Page, Payment, ScoreEntry, TopOverdue, Trends } from './types';

export type Scope = { asOf?: string; customerId?: string; segment?: string };

export const useMe = () => useQuery({ queryKey: ['me'], queryFn: () => api<Me>('/api/v1/auth/me') });
export const useAging = (scope: Scope) => useQuery({ queryKey: ['aging', scope], queryFn: () => api<Aging>(`/api/v1/analytics/aging${query(scope)}`) });
export const useKpis = (scope: Scope) => useQuery({ queryKey: ['kpis', scope], queryFn: () => api<Kpis>(`/api/v1/analytics/kpis${query(scope)}`) });
export const useTrends = (scope: Scope) => useQuery({ queryKey: ['trends', scope], queryFn: () => api<Trends>(`/api/v1/analytics/trends${query({ ...scope, months: 12 })}`) });
export const useTopOverdue = (scope: { asOf?: string }) =>
  useQuery({ queryKey: ['top-overdue', scope], queryFn: () => api<TopOverdue>(`/api/v1/analytics/top-overdue${query({ ...scope, limit: 10 })}`) });
export const useSegments = () => useQuery({ queryKey: ['segments'], queryFn: () => api<{ items: string[] }>('/api/v1/customers/segments') });
export const useScores = (id: string) => useQuery({ queryKey: ['scores', id], queryFn: () => api<{ items: ScoreEntry[]; behaviour: Behaviour | null }>(`/api/v1/customers/${id}/scores?limit=24`) });
export const useCustomer = (id: string) => useQuery({ queryKey: ['customer', id], queryFn: () => api<Customer>(`/api/v1/customers/${id}`) });

/** Cursor-paged lists: each page asks for the next one with the cursor of the previous. */
function usePaged<T>(key: string, path: string, params: Record<string, string | number | boolean | undefined>) {
  return useInfiniteQuery({
    queryKey: [key, params],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api<Page<T>>(`${path}${query({ ...params, cursor: pageParam ?? undefined })}`),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export const useCustomers = (params: { search?: string; segment?: string; hasOverdue?: boolean; band?: string; minScore?: number; maxScore?: number; minExposure?: string; sort: string; limit?: number }) =>
  usePaged<CustomerSummary>('customers', '/api/v1/customers', { limit: 25, ...params, hasOverdue: params.hasOverdue || undefined });
export const useInvoices = (params: { customerId?: string; status?: string; kind?: string; search?: string; sort: string; limit?: number }) =>
  usePaged<Invoice>('invoices', '/api/v1/invoices', { limit: 25, ...params });
export const usePayments = (params: { customerId?: string; limit?: number }) => usePaged<Payment>('payments', '/api/v1/payments', { limit: 25, ...params });
