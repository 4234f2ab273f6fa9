namespace Payments.Actors.Payments;

/// <summary>Read side of the disputes: merchant-scoped.</summary>
[Alias("pa.IDisputeQueryGrain")]
public interface IDisputeQueryGrain : IGrainWithIntegerKey
{
    Task<DisputePage> ListAsync(DisputeListQuery query);

    /// <summary>The merchant's dispute, or null when it is unknown or another merchant's.</summary>
    Task<DisputeSnapshot?> GetAsync(string merchantId, Guid disputeId);
}
