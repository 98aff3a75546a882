// Accessors of decoded PostgreSQL messages and builders of the errors the proxy reports.
#include "shardgate/protocol/pg/backend_messages.hpp"
#include "shardgate/protocol/pg/frontend_messages.hpp"

namespace shardgate::protocol::pg {

std::optional<std::string_view> StartupMessage::parameter(std::string_view name) const {
    for (const auto& p : parameters) {
        if (p.name == name) {
            return p.value;
        }
    }
    return std::nullopt;
}

FormatCode Bind::parameter_format(std::size_t index) const {
    if (parameter_formats.empty()) {
        return FormatCode::text;
    }
    if (parameter_formats.size() == 1) {
        return parameter_formats.front();
    }
    return index < parameter_formats.size() ? parameter_formats[index] : FormatCode::text;
}

std::optional<std::string_view> NoticeFields::field(char code) const {
    for (const auto& f : fields) {
        if (f.code == code) {
            return f.value;
        }
    }
    return std::nullopt;
}

namespace {

std::vector<NoticeField> error_fields(const ErrorInfo& info) {
    std::vector<NoticeField> fields{{PG_DIAG_SEVERITY, info.severity},
                                    {PG_DIAG_SEVERITY_NONLOCALIZED, info.severity},
                                    {PG_DIAG_SQLSTATE, info.sqlstate},
                                    {PG_DIAG_MESSAGE_PRIMARY, info.message}};
    if (!info.detail.empty()) {
        fields.push_back({PG_DIAG_MESSAGE_DETAIL, info.detail});
    }
    if (!info.hint.empty()) {
        fields.push_back({PG_DIAG_MESSAGE_HINT, info.hint});
    }
    return fields;
}

} // namespace

ErrorResponse make_error_response(const ErrorInfo& info) {
    ErrorResponse response;
    response.fields = error_fields(info);
    return response;
}

NoticeResponse make_notice_response(const ErrorInfo& info) {
    NoticeResponse response;
    response.fields = error_fields(info);
    return response;
}

} // namespace shardgate::protocol::pg
