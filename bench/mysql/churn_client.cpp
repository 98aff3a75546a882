// Connection churn through MariaDB Connector/C: THREADS threads, each in a loop for SECONDS:
// connect (login with the plugin the server names), `SELECT 1`, disconnect. Prints one line:
//   connections=N errors=E seconds=S rate=R p50_us=P p99_us=Q [error=FIRST]
// Used by bench/mysql/churn; nothing here is specific to shardgate.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <mysql.h>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
    std::string host;
    unsigned port = 0;
    std::string user;
    std::string password;
    std::string database;
    int threads = 1;
    double seconds = 1;
};

/// One connect, query, disconnect; "" when it worked, else the error.
std::string one_connection(const Options& o) {
    MYSQL* mysql = mysql_init(nullptr);
    if (mysql == nullptr) {
        return "mysql_init failed";
    }
    const unsigned timeout = 5;
    mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    std::string error;
    if (mysql_real_connect(mysql, o.host.c_str(), o.user.c_str(), o.password.c_str(),
                           o.database.c_str(), o.port, nullptr, 0) == nullptr ||
        mysql_query(mysql, "SELECT 1") != 0) {
        error = mysql_error(mysql);
    } else if (MYSQL_RES* result = mysql_store_result(mysql); result != nullptr) {
        mysql_free_result(result);
    } else {
        error = mysql_error(mysql);
    }
    mysql_close(mysql);
    return error;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 8) {
        std::fprintf(stderr, "usage: %s HOST PORT USER PASSWORD DATABASE THREADS SECONDS\n",
                     argv[0]);
        return 2;
    }
    Options o{argv[1], static_cast<unsigned>(std::atoi(argv[2])), argv[3],           argv[4],
              argv[5], std::max(1, std::atoi(argv[6])),           std::atof(argv[7])};
    mysql_library_init(0, nullptr, nullptr);
    using Clock = std::chrono::steady_clock;
    const auto began = Clock::now();
    const auto deadline = began + std::chrono::duration<double>(o.seconds);
    std::atomic<long> errors{0};
    std::mutex lock;
    std::vector<long> latencies_us;
    std::string first_error;
    std::vector<std::thread> threads;
    for (int t = 0; t < o.threads; ++t) {
        threads.emplace_back([&] {
            mysql_thread_init();
            std::vector<long> mine;
            std::string error_seen;
            while (Clock::now() < deadline) {
                const auto started = Clock::now();
                const std::string error = one_connection(o);
                const auto took =
                    std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started)
                        .count();
                if (error.empty()) {
                    mine.push_back(took);
                } else {
                    ++errors;
                    if (error_seen.empty()) {
                        error_seen = error;
                    }
                }
            }
            mysql_thread_end();
            const std::lock_guard<std::mutex> guard(lock);
            latencies_us.insert(latencies_us.end(), mine.begin(), mine.end());
            if (first_error.empty()) {
                first_error = error_seen;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
    std::sort(latencies_us.begin(), latencies_us.end());
    const auto percentile = [&](double p) {
        return latencies_us.empty()
                   ? 0L
                   : latencies_us[std::min(latencies_us.size() - 1,
                                           static_cast<std::size_t>(p * latencies_us.size()))];
    };
    std::printf("connections=%zu errors=%ld seconds=%.3f rate=%.1f p50_us=%ld p99_us=%ld%s%s\n",
                latencies_us.size(), errors.load(), elapsed,
                static_cast<double>(latencies_us.size()) / elapsed, percentile(0.50),
                percentile(0.99), first_error.empty() ? "" : " error=", first_error.c_str());
    mysql_library_end();
    return latencies_us.empty() ? 1 : 0;
}
