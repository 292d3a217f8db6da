import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { anonClient, stackInfo } from '../helpers/stack';
import { addRules, createClinic, createDentist } from './domain-fixtures';

describe('clinic_opening_hours (anyone may call it)', () => {
  let db: pg.Client;
  let clinicId: string;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: stackInfo().dbUrl });
    await db.connect();
    clinicId = (await createClinic(db)).id;
    const lee = await createDentist(db, clinicId, 'Dr. Lee');
    const garcia = await createDentist(db, clinicId, 'Dr. Garcia');
    const retired = await createDentist(db, clinicId, 'Dr. Gone');
    await addRules(db, clinicId, lee, [
      [1, '09:00', '12:00'],
      [1, '13:00', '17:00'],
      [3, '08:00', '12:00'],
    ]);
    await addRules(db, clinicId, garcia, [
      [1, '12:00', '18:00'],
      [3, '14:00', '24:00'],
    ]);
    await addRules(db, clinicId, retired, [[6, '09:00', '13:00']]);
    await db.query('update public.dentists set is_active = false where id = $1', [retired]);
  });
  afterAll(async () => db.end());

  it('merges the active dentists windows per weekday and keeps real gaps', async () => {
    const { data, error } = await anonClient().rpc('clinic_opening_hours', { p_clinic_id: clinicId });
    expect(error).toBeNull();
    expect(data).toEqual([
      { weekday: 1, opens_at: '09:00:00', closes_at: '18:00:00' },
      { weekday: 3, opens_at: '08:00:00', closes_at: '12:00:00' },
      { weekday: 3, opens_at: '14:00:00', closes_at: '24:00:00' },
    ]);
  });

  it('returns nothing for an unknown clinic', async () => {
    const { data, error } = await anonClient().rpc('clinic_opening_hours', {
      p_clinic_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });
});
