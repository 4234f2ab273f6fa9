namespace Payments.Actors.Psp;

/// <summary>
/// The operator's runtime control of the PSPs (key 0): kill switches and thresholds stored in PostgreSQL, each change
/// audited in the same transaction. Every silo picks changes up by polling, not through this grain.
/// </summary>
[Alias("pa.IPspControlGrain")]
public interface IPspControlGrain : IGrainWithIntegerKey
{
    /// <summary>Every configured PSP with its effective enabled flag and the health seen by this grain's silo.</summary>
    Task<IReadOnlyList<PspStatus>> ListAsync();

    /// <summary>Switches a PSP on or off and/or changes its thresholds, validated against the configured rules, audited per field.</summary>
    Task<PspSettingsUpdated> UpdateAsync(UpdatePspSettings command);

    /// <summary>The PSP's audit trail, newest first, at most <paramref name="limit"/> entries. Null when no PSP of that name is configured.</summary>
    Task<IReadOnlyList<PspAuditEntry>?> AuditAsync(string psp, int limit);
}
