// A FIFO of runnable Gs linked through G::schedlink (Go's gQueue).
#pragma once

#include "rt/runtime.h"

namespace rt {

class RunQueue {
public:
    bool empty() const { return head_ == nullptr; }
    uint32 size() const { return size_; }

    void push_back(G* gp) {
        gp->schedlink = nullptr;
        if (tail_ != nullptr) {
            tail_->schedlink = gp;
        } else {
            head_ = gp;
        }
        tail_ = gp;
        size_++;
    }

    G* pop_front() {
        G* gp = head_;
        if (gp == nullptr) {
            return nullptr;
        }
        head_ = gp->schedlink;
        if (head_ == nullptr) {
            tail_ = nullptr;
        }
        gp->schedlink = nullptr;
        size_--;
        return gp;
    }

private:
    G* head_ = nullptr;
    G* tail_ = nullptr;
    uint32 size_ = 0;
};

} // namespace rt
