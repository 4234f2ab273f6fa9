using System.Collections.Frozen;
using System.Globalization;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using Payments.Actors.KafkaEmbedded.Mock;

namespace Payments.Actors.KafkaEmbedded;

/// <summary>Kafka error names as librdkafka spells them (NOT_LEADER_FOR_PARTITION), as Kafka spells them today, Confluent.Kafka's enum names, or numbers.</summary>
public static class KafkaErrorNames
{
    private static readonly FrozenDictionary<string, ErrorCode> Names = Build();

    public static bool TryParse(string? value, out ErrorCode code)
    {
        code = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            code = (ErrorCode)number;
            return true;
        }

        return Names.TryGetValue(value.Trim(), out code);
    }

    private static FrozenDictionary<string, ErrorCode> Build()
    {
        var names = new Dictionary<string, ErrorCode>(StringComparer.OrdinalIgnoreCase)
        {
            // Kafka renamed these after librdkafka's table was written.
            ["NOT_LEADER_OR_FOLLOWER"] = ErrorCode.NotLeaderForPartition,
            ["REPLICA_NOT_AVAILABLE"] = ErrorCode.ReplicaNotAvailable,
        };
        foreach (var code in Enum.GetValues<ErrorCode>())
        {
            names.TryAdd(code.ToString(), code);
            names.TryAdd(MockCluster.ErrorName(code), code);
        }

        return names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
