// Internal: the character-level scanner behind lex().
#pragma once

#include "shardgate/parser/lexer.hpp"

namespace shardgate::parser::detail {

/// Scans one statement into tokens and literals. Single use.
class Scanner {
public:
    Scanner(std::string_view sql, Dialect dialect, LexedStatement& out);
    Status run();

private:
    bool scan_all();
    bool skip_trivia();
    bool skip_block_comment();
    void skip_line_comment(std::size_t body);
    bool scan_token();
    bool scan_word();
    bool scan_quoted_ident(char quote);
    bool scan_string(std::size_t start, std::size_t quote_pos, bool backslashes, LiteralKind kind);
    bool scan_dollar_string();
    bool scan_number(std::size_t start);
    bool scan_placeholder();
    bool scan_operator();
    bool open_nesting();

    bool at(std::size_t i, char c) const { return i < sql_.size() && sql_[i] == c; }
    bool last_is_operand() const;
    bool keeps_ordinal() const;
    void track_keyword(Keyword keyword);
    void push(TokenKind kind, std::size_t start, std::size_t end, Keyword kw = Keyword::none,
              Op op = Op::none);
    void push_literal(LiteralKind kind, std::size_t start, std::size_t end, std::string text,
                      std::uint32_t param = 0);
    bool error(std::size_t pos, std::string_view message);

    std::string_view sql_;
    Dialect dialect_;
    LexedStatement& out_;
    std::size_t pos_ = 0;
    int depth_ = 0;
    int case_depth_ = 0;
    std::uint32_t next_param_ = 0;
    int ordinal_depth_ = -1;
    Error error_;
};

/// Assigns fingerprint slots (folding IN lists) and writes the fingerprint text and hash.
void build_fingerprint(LexedStatement& lexed);

} // namespace shardgate::parser::detail
