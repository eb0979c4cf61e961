#include "storage/job_queue.hpp"

#include <boost/asio/post.hpp>

namespace tt::storage {

namespace {

std::exception_ptr closed_error() { return std::make_exception_ptr(Unavailable("the database is closed")); }

}  // namespace

void PendingJob::complete(std::exception_ptr error) {
  // The job's callable refers into the caller's suspended frame: drop it before that frame can
  // resume and end.
  job_ = nullptr;
  asio::any_io_executor caller = std::move(caller_);
  asio::post(caller, [handler = std::move(handler_), error]() mutable { std::move(handler)(error); });
}

void JobQueue::push(PendingJob job) {
  std::size_t waiting = 0;
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      // failed below, outside the lock
    } else if (capacity_ != 0 && jobs_.size() >= capacity_) {
      waiting = jobs_.size();
    } else {
      jobs_.push_back(std::move(job));
      ready_.notify_one();
      return;
    }
  }
  if (waiting == 0) return job.complete(closed_error());
  refused_.fetch_add(1, std::memory_order_relaxed);
  job.complete(std::make_exception_ptr(
      Unavailable("database busy: " + std::to_string(waiting) + " transactions are already waiting")));
}

void JobQueue::push_front(std::vector<PendingJob> jobs) {
  {
    std::lock_guard lock(mutex_);
    if (!closed_) {
      for (auto it = jobs.rbegin(); it != jobs.rend(); ++it) jobs_.push_front(std::move(*it));
      ready_.notify_all();
      return;
    }
  }
  for (auto& job : jobs) job.complete(closed_error());
}

std::vector<PendingJob> JobQueue::take(std::size_t max, bool wait) {
  std::unique_lock lock(mutex_);
  if (wait) ready_.wait(lock, [this] { return closed_ || !jobs_.empty(); });
  std::vector<PendingJob> out;
  while (!jobs_.empty() && out.size() < max) {
    if (jobs_.front().alone && !out.empty()) break;
    out.push_back(std::move(jobs_.front()));
    jobs_.pop_front();
    if (out.back().alone) break;
  }
  return out;
}

void JobQueue::close() {
  std::deque<PendingJob> left;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    left.swap(jobs_);
    ready_.notify_all();
  }
  for (auto& job : left) job.complete(closed_error());
}

std::size_t JobQueue::size() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

}  // namespace tt::storage
