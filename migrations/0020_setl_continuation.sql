-- 0020 中途结算 chains (issue 3 review): which settlement of a stay continues which, and the deductible standard
-- a continued stay keeps.
--
-- 1. setl_seq: the order in which settlement rows were written. Every settlement and reversal of a stay is written
--    while the encounter's row is locked (settle.ts, reverse.ts), so within one stay this is the order of the
--    chain: a later valid settlement continues every earlier valid one (its deductible and bands start where those
--    left off), and a settlement continued by a later valid one cannot be reversed before it. setl_time is the
--    request's arrival time and can invert that order (a request that arrived first may have waited on the lock),
--    so it must not decide. The database assigns the value (column default): no writer can forget it. Existing
--    rows are numbered in (setl_time, setl_id) order, the best order known for them.
create sequence setl_seq_seq;
alter table setl add column setl_seq bigint;
update setl set setl_seq = o.n from (select setl_id, row_number() over (order by setl_time, setl_id) as n from setl) o where o.setl_id = setl.setl_id;
select setval('setl_seq_seq', (select coalesce(max(setl_seq), 0) + 1 from setl), false);
alter table setl alter column setl_seq set default nextval('setl_seq_seq');
alter table setl alter column setl_seq set not null;
alter sequence setl_seq_seq owned by setl.setl_seq;
create unique index setl_chain on setl (mdtrt_id, setl_seq);

-- 2. dedc_std: the 起付标准 (deductible standard) the settlement applied. A settlement that continues a stay applies
--    the standard of the stay's first settlement (the admission's place in the year is fixed when it is first
--    counted), not one recomputed from the admissions counted since. Null on rows written before this migration
--    and by writers that do not know it (the stay then falls back to the year's admission count).
alter table setl add column dedc_std numeric(16,2);
