namespace Payments.Actors.KafkaEmbedded.Mock;

/// <summary>Kafka protocol request types (ApiKey) the mock cluster can be told to fail.</summary>
#pragma warning disable CA1028 // The wire type of an ApiKey is int16.
public enum KafkaApiKey : short
#pragma warning restore CA1028
{
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    DescribeGroups = 15,
    ListGroups = 16,
    ApiVersions = 18,
    InitProducerId = 22,
    AddPartitionsToTxn = 24,
    AddOffsetsToTxn = 25,
    EndTxn = 26,
    TxnOffsetCommit = 28,
}
