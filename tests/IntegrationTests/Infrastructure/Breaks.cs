namespace Payments.Actors.IntegrationTests;

/// <summary>
/// Reconciliation breaks written as a matcher writes them (the matchers come with the settlement files): tests of the
/// operators' side start from a known open break.
/// </summary>
public static class Breaks
{
    public static async Task<Guid> SeedAsync(PlatformFixture platform, string kind = "amount_mismatch", string psp = "psp-a")
    {
        var id = Guid.CreateVersion7();
        await platform.ScalarAsync(
            """
            WITH inserted AS (
                INSERT INTO reconciliation_breaks (id, dedupe_key, kind, psp, payment_id, psp_reference, value_date, expected_minor, actual_minor, currency,
                                                   detail, opened_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, 'pa_seed', current_date, 1000, 999, 'EUR', 'seeded by a test', now(), now())
                RETURNING 1)
            SELECT count(*) FROM inserted
            """,
            id, $"test:{id}", kind, psp, Guid.CreateVersion7());
        return id;
    }
}
